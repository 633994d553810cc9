/**
 * `npm run lab -- alert --strategy <example | file.ts> --data <csv | demo:SYMBOL | universe>
 *   [--param name=value]… [--bars N] [--include-exits] [--json]`
 * Reports the strategy's entry signals on the newest N bars (default 1) of each symbol.
 */
import { runAlert } from "@/lib/modes/alert";
import { fmt, intFlag, paramFlags, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData, loadStrategy } from "@/server/cli/load";
import { flag, hasFlag, parseArgs } from "../args";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    known: ["strategy", "data", "universe", "param", "bars", "timezone"],
    booleans: ["json", "include-exits", "no-header"],
  });
  const strategySpec = requiredFlag(args, "strategy", "an example name such as gap-up, or a path to a .ts file");
  const dataSpec =
    flag(args, "data") ?? requiredFlag(args, "data", "a CSV file, demo:SYMBOL or a universe name such as demo-500");
  return withRunErrors(strategySpec, async () => {
    const newBars = intFlag(args, "bars", 1);
    const strategy = loadStrategy(strategySpec);
    const data = loadData(dataSpec, { timezone: flag(args, "timezone"), noHeader: hasFlag(args, "no-header") });
    const result = await runAlert({
      source: strategy.source,
      runner: sandboxRunner,
      universe: data.universe,
      fundamentals: data.fundamentals,
      params: paramFlags(args),
      newBars,
      includeExits: hasFlag(args, "include-exits"),
    });
    if (hasFlag(args, "json")) {
      process.stdout.write(`${JSON.stringify({ ...result, synthetic: data.synthetic })}\n`);
      return 0;
    }
    const lines = [
      `${result.strategy.name} on ${dataSpec}${data.synthetic ? " — SYNTHETIC demo data" : ""}: ${result.alerts.length} alert(s) in the last ${newBars} bar(s) of ${result.symbols_monitored} symbol(s)`,
      ...result.alerts.map(
        (a) =>
          `${a.timestamp.slice(0, 10)}  ${a.symbol.padEnd(8)} ${a.type.padEnd(11)} close ${fmt(a.data.current_price)}  score ${fmt(a.data.score, 3)}${a.priority === "high" ? "  [high]" : ""}`,
      ),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  });
}
