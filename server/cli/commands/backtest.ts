/**
 * `npm run lab -- backtest --data <csv | demo:SYMBOL | universe> --strategy <example | file.ts>
 *   [--param name=value]… [--cash N] [--commission F] [--commission-model per-leg|entry-price-adjusted]
 *   [--slippage-bps N] [--fill next-open|close] [--max-positions N] [--close-at-end]
 *   [--from DATE] [--to DATE] [--timezone ZONE] [--no-header] [--json]`
 * Defaults: cash 10 000, commission 0 (per leg, fraction of traded value), next-open fills,
 * all-in whole-unit sizing split evenly across max positions (engine defaults, lib/engine/README.md).
 * `--json` prints one object `{ metrics, trades, open_positions, data_quality, … }` and nothing else
 * on stdout (`data_quality` is null for synthetic demo data).
 */
import type { SimConfigInput } from "@/lib/engine/config";
import { runBacktest } from "@/lib/modes/backtest";
import { fmt, intFlag, paramFlags, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData, loadStrategy, parseDate } from "@/server/cli/load";
import { summarizeDataQuality } from "@/server/cli/quality";
import { CliError, flag, hasFlag, numberFlag, parseArgs } from "../args";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

const KNOWN = [
  "data",
  "strategy",
  "param",
  "cash",
  "commission",
  "commission-model",
  "slippage-bps",
  "fill",
  "max-positions",
  "from",
  "to",
  "timezone",
];

function simConfig(args: ReturnType<typeof parseArgs>): SimConfigInput {
  const fill = flag(args, "fill") ?? "next-open";
  if (fill !== "next-open" && fill !== "close") throw new CliError(`--fill must be next-open or close, got "${fill}"`);
  const model = flag(args, "commission-model") ?? "per-leg";
  if (model !== "per-leg" && model !== "entry-price-adjusted")
    throw new CliError(`--commission-model must be per-leg or entry-price-adjusted, got "${model}"`);
  const config: SimConfigInput = {
    initialCash: numberFlag(args, "cash") ?? 10_000,
    fill,
    costs: {
      commissionRate: numberFlag(args, "commission") ?? 0,
      slippageBps: numberFlag(args, "slippage-bps") ?? 0,
      commissionModel: model,
    },
    closeAtEnd: hasFlag(args, "close-at-end"),
  };
  if (args.flags.has("max-positions")) config.portfolio = { maxPositions: intFlag(args, "max-positions", 1) };
  return config;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: KNOWN, booleans: ["json", "close-at-end", "no-header"] });
  const strategySpec = requiredFlag(args, "strategy", "an example name such as sma-cross, or a path to a .ts file");
  const dataSpec = requiredFlag(args, "data", "a CSV file, demo:SYMBOL or a universe name such as demo-500");
  const json = hasFlag(args, "json");
  return withRunErrors(strategySpec, async () => {
    const from = flag(args, "from");
    const to = flag(args, "to");
    const fromMs = from === undefined ? undefined : parseDate(from, "from");
    const toMs = to === undefined ? undefined : parseDate(to, "to");
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs)
      throw new CliError(`--from ${from} is after --to ${to}`);
    const config = simConfig(args);
    const strategy = loadStrategy(strategySpec);
    const data = loadData(dataSpec, { timezone: flag(args, "timezone"), noHeader: hasFlag(args, "no-header") });
    const result = await runBacktest({
      source: strategy.source,
      runner: sandboxRunner,
      universe: data.universe,
      fundamentals: data.fundamentals,
      params: paramFlags(args),
      config,
      fromMs,
      toMs,
    });
    const quality = data.synthetic ? null : summarizeDataQuality(data.universe);
    const warnings = [...data.warnings, ...result.warnings];
    const metrics = Object.fromEntries(
      Object.entries(result.performance_metrics).filter(
        ([k]) => !["sharpe_ratio", "average_return", "hit_rate", "max_return", "positive_return_rate"].includes(k),
      ),
    );
    if (json) {
      const out = {
        strategy: { ...result.strategy, origin: strategy.origin },
        data: {
          source: dataSpec,
          symbols: result.summary.symbols_processed,
          bars: result.summary.bars,
          date_range: result.summary.date_range,
          synthetic: data.synthetic,
        },
        trustworthy: result.trustworthy,
        warnings,
        look_ahead: result.look_ahead,
        data_quality: quality?.summaries ?? null,
        metrics,
        trades: result.engine.trades,
        open_positions: result.engine.open_positions,
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return 0;
    }
    const m = result.performance_metrics;
    const lines = [
      ...(result.trustworthy
        ? []
        : ["WARNING: this strategy reads future bars; its results are NOT trustworthy (details below)", ""]),
      `${result.strategy.name} (${strategy.origin}) on ${dataSpec}${data.synthetic ? " — SYNTHETIC demo data" : ""}`,
      `params: ${
        Object.entries(result.strategy.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ") || "none"
      }`,
      `period: ${result.summary.date_range[0]} → ${result.summary.date_range[1]} (${result.summary.bars} bars, ${result.summary.symbols_processed} symbol(s))`,
      "",
      `final equity      ${fmt(m.final_equity)}`,
      `total return      ${fmt(m.total_return_pct)} %   (buy & hold ${fmt(m.buy_hold_return_pct)} %)`,
      `CAGR              ${fmt(m.cagr_pct)} %`,
      `volatility        ${fmt(m.volatility_pct)} %`,
      `Sharpe / Sortino  ${fmt(m.sharpe)} / ${fmt(m.sortino)}   Calmar ${fmt(m.calmar)}`,
      `max drawdown      ${fmt(m.max_drawdown_pct)} %`,
      `trades            ${fmt(m.num_trades, 0)} closed, ${result.summary.open_positions} open   win rate ${fmt(m.win_rate_pct)} %`,
      `profit factor     ${fmt(m.profit_factor)}   expectancy ${fmt(m.expectancy_pct)} %   exposure ${fmt(m.exposure_pct)} %`,
    ];
    if (quality) lines.push(quality.line);
    for (const w of warnings) lines.push(`warning: ${w}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  });
}
