/**
 * `npm run lab -- <command> …` — the Strategy Lab command line.
 * Each command lives in ./commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code).
 * Errors go to stderr with a non-zero exit; results go to stdout.
 */
import { CliError } from "./args";

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> =
  {
    backtest: {
      summary: "backtest a strategy on a CSV file, a demo symbol or a universe",
      load: () => import("./commands/backtest"),
    },
    screen: { summary: "rank a universe by a strategy's latest-bar score", load: () => import("./commands/screen") },
    alert: { summary: "evaluate a strategy's entries on the newest bars", load: () => import("./commands/alert") },
    optimize: {
      summary:
        "search a strategy's params (grid, random, TPE, NSGA-II) with holdout, walk-forward and overfitting figures",
      load: () => import("./commands/optimize"),
    },
    improve: {
      summary:
        "rewrite a strategy from its own results: validated iterations, a holdout no iteration saw, met / not met",
      load: () => import("./commands/improve"),
    },
    evolve: {
      summary: "breed a population of rule-plan strategies (mutation, crossover, elitism) with lifecycle gates",
      load: () => import("./commands/evolve"),
    },
    data: {
      summary: "hydrate from a provider, import CSV/Parquet, export CSV/Parquet, or write the demo universe",
      load: () => import("./commands/data"),
    },
    generate: {
      summary: "generate validated strategy code from a plain-English request",
      load: () => import("./commands/generate"),
    },
    "eval-generation": {
      summary: "faithful / refused / unfaithful counts of a generator over a set of requests",
      load: () => import("./commands/eval-generation"),
    },
    admin: { summary: "operator commands: users, workspaces, API keys", load: () => import("./commands/admin") },
    backup: { summary: "write a backup file of the database (--out FILE)", load: () => import("./commands/backup") },
    restore: {
      summary: "restore a backup file (--in FILE, --yes to replace existing data)",
      load: () => import("./commands/restore"),
    },
  };

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: npm run lab -- <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`error: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

/**
 * Exits once everything written to stdout and stderr has been handed to the OS. On a pipe,
 * writes are asynchronous: `process.exit` right after a large write would cut the output (at
 * 64 KiB, the pipe's buffer). An empty write's callback runs after every earlier write.
 */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      exitAfterFlush(err.exitCode);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.LAB_DEBUG === "1" && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    exitAfterFlush(1);
  },
);
