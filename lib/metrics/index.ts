/**
 * Performance metrics: pure functions over plain arrays (equity curves, per-period returns,
 * closed-trade columns). Conventions in ./README.md.
 */
export { returnsFromEquity, totalReturn, cagr, annualVolatility } from "./returns";
export { sharpe, sortino, downsideRisk, calmar, omega, alphaBeta } from "./ratios";
export { maxDrawdown, drawdownSeries, drawdownDurations, type MaxDrawdown, type DrawdownDurations } from "./drawdown";
export { tailRatio, valueAtRisk, conditionalValueAtRisk, stability } from "./distribution";
export {
  winRate,
  profitFactor,
  expectancy,
  sqn,
  summarizeTrades,
  type TradeColumns,
  type TradeSummary,
} from "./trades";
export { periodsPerYearFromTimestamps, TRADING_DAYS_PER_YEAR, CALENDAR_DAYS_PER_YEAR } from "./periods";
export type { PerPeriod } from "./stats";
export {
  gradeStrategy,
  levelForScore,
  regimeConsistency,
  crashSurvival,
  GRADE_LEVELS,
  type Grade,
  type GradeLevel,
  type GradeInput,
  type GradeComponent,
} from "./grade";
export { normCdf, normPdf, normPpf } from "./normal";
export {
  probabilisticSharpeRatio,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  minTrackRecordLength,
  probabilityOfBacktestOverfitting,
  overfittingReport,
  overfittingSentence,
  perPeriodSharpe,
  skewness,
  kurtosis,
  type OverfittingReport,
  type PboResult,
  type SharpeShape,
} from "./overfitting";
