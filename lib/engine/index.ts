/**
 * Public API of the backtest engine (pure; the worker-thread pool is imported separately from
 * `@/server/compute/sweep-pool`).
 */
export { simulate } from "./simulate";
export { buildReport, REPORT_KEYS, type Report, type ReportKey, type ReportOptions } from "./report";
export {
  resolveConfig,
  type SimConfig,
  type SimConfigInput,
  type ResolvedConfig,
  type CostConfig,
  type SizingConfig,
  type StopConfig,
  type PortfolioConfig,
  type FillTiming,
  type CommissionModel,
  type SizingMode,
} from "./config";
export { InvalidInputError, InvalidConfigError, type InputProblem } from "./errors";
export type { SimResult, TradeRecord, OpenPosition, ExitReason, Side } from "./types";
export type { SignalArrays } from "./signals";
export { validateUniverse } from "./validate";
export { drawdownSeries, benchmarkEquity } from "./curves";
export {
  runSweep,
  runPreparedSweep,
  validateSweepInput,
  crossoverGrid,
  smaCrossSweep,
  emptySweepResult,
  type SweepStrategy,
  type SweepResult,
  type SweepOptions,
  type SmaCrossParams,
  type SignalBuffers,
  type ArrayAlloc,
} from "./sweep";
export { periodsPerYearOf } from "./report";
export { SWEEP_STRATEGIES } from "./sweep-registry";
