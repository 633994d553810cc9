/**
 * `npm run lab -- screen --strategy <example | file.ts> --universe <name | demo:A,B | csv>
 *   [--param name=value]… [--top N] [--history-bars N] [--include-non-matching] [--json]`
 * Lists only symbols with an entry on the latest bar; --include-non-matching adds the rest after
 * them, marked "NO" in the entry column (`signal: false` in --json).
 * Ranks the universe by the strategy's latest bar: entries first, then score (highest first).
 */
import { fmt, intFlag, paramFlags, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData, loadStrategy } from "@/server/cli/load";
import { runScreen } from "@/lib/modes/screen";
import { flag, hasFlag, parseArgs } from "../args";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    known: ["strategy", "universe", "data", "param", "top", "history-bars", "timezone"],
    booleans: ["json", "no-header", "include-non-matching"],
  });
  const strategySpec = requiredFlag(args, "strategy", "an example name such as rsi-volume, or a path to a .ts file");
  const universeSpec =
    flag(args, "universe") ?? requiredFlag(args, "universe", "a universe name such as demo-500, or demo:SYMBOL");
  return withRunErrors(strategySpec, async () => {
    const top = intFlag(args, "top", 20);
    const historyBars = args.flags.has("history-bars") ? intFlag(args, "history-bars", 0, 2) : undefined;
    const strategy = loadStrategy(strategySpec);
    const data = loadData(universeSpec, { timezone: flag(args, "timezone"), noHeader: hasFlag(args, "no-header") });
    const result = await runScreen({
      source: strategy.source,
      runner: sandboxRunner,
      universe: data.universe,
      fundamentals: data.fundamentals,
      params: paramFlags(args),
      limit: top,
      historyBars,
      includeNonMatching: hasFlag(args, "include-non-matching"),
    });
    if (hasFlag(args, "json")) {
      process.stdout.write(`${JSON.stringify({ ...result, synthetic: data.synthetic })}\n`);
      return 0;
    }
    const lines = [
      `${result.strategy.name} on ${universeSpec}${data.synthetic ? " — SYNTHETIC demo data" : ""}: ${result.matches} of ${result.universe_size} symbols signal an entry (as of ${result.as_of?.slice(0, 10) ?? "—"})`,
      "",
      `${"rank".padStart(4)}  ${"symbol".padEnd(8)} ${"entry".padEnd(5)} ${"score".padStart(10)} ${"close".padStart(10)} ${"chg %".padStart(7)}`,
      ...result.ranked_results.map(
        (r) =>
          `${String(r.rank).padStart(4)}  ${r.symbol.padEnd(8)} ${(r.signal ? "yes" : "NO").padEnd(5)} ${fmt(r.score, 3).padStart(10)} ${fmt(r.current_price).padStart(10)} ${fmt(r.data.daily_change_pct).padStart(7)}`,
      ),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  });
}
