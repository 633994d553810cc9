import { describe } from "vitest";
import * as ind from "@/lib/indicators";
import { testIndicatorContract, type ContractCase } from "./contract";
import { loadBars } from "./load-bars";

const goog = loadBars("GOOG.csv");
const inputs = { open: goog.open, high: goog.high, low: goog.low, close: goog.close, volume: goog.volume };

const cases: ContractCase[] = [
  { name: "sma(20)", run: (x) => ind.sma(x.close, 20), warmup: ind.sma.warmup(20) },
  { name: "sma(1)", run: (x) => ind.sma(x.close, 1), warmup: ind.sma.warmup(1) },
  { name: "ema(20)", run: (x) => ind.ema(x.close, 20), warmup: ind.ema.warmup(20) },
  { name: "ema(20, seed first)", run: (x) => ind.ema(x.close, 20, { seed: "first" }), warmup: ind.ema.warmup(20) },
  { name: "wma(15)", run: (x) => ind.wma(x.close, 15), warmup: ind.wma.warmup(15) },
  { name: "rma(14)", run: (x) => ind.rma(x.close, 14), warmup: ind.rma.warmup(14) },
  { name: "rsi()", run: (x) => ind.rsi(x.close), warmup: ind.rsi.warmup() },
  { name: "rsi(2)", run: (x) => ind.rsi(x.close, 2), warmup: ind.rsi.warmup(2) },
  {
    name: "macd()",
    run: (x) => ind.macd(x.close) as unknown as Record<string, Float64Array>,
    warmup: ind.macd.warmup(),
  },
  {
    name: "macd(5, 35, 5)",
    run: (x) => ind.macd(x.close, 5, 35, 5) as unknown as Record<string, Float64Array>,
    warmup: ind.macd.warmup(5, 35, 5),
  },
  {
    name: "bollinger()",
    run: (x) => ind.bollinger(x.close) as unknown as Record<string, Float64Array>,
    warmup: ind.bollinger.warmup(),
  },
  { name: "atr()", run: (x) => ind.atr(x.high, x.low, x.close), warmup: ind.atr.warmup() },
  { name: "trueRange()", run: (x) => ind.trueRange(x.high, x.low, x.close), warmup: ind.trueRange.warmup() },
  {
    name: "stochastic()",
    run: (x) => ind.stochastic(x.high, x.low, x.close) as unknown as Record<string, Float64Array>,
    warmup: ind.stochastic.warmup(),
  },
  {
    name: "stochastic(14, 3, 3)",
    run: (x) => ind.stochastic(x.high, x.low, x.close, 14, 3, 3) as unknown as Record<string, Float64Array>,
    warmup: ind.stochastic.warmup(14, 3, 3),
  },
  {
    name: "adx()",
    run: (x) => ind.adx(x.high, x.low, x.close) as unknown as Record<string, Float64Array>,
    warmup: ind.adx.warmup(),
  },
  { name: "obv()", run: (x) => ind.obv(x.close, x.volume), warmup: ind.obv.warmup() },
  { name: "vwap(20)", run: (x) => ind.vwap(x.high, x.low, x.close, x.volume, 20), warmup: ind.vwap.warmup(20) },
  { name: "vwap() anchored", run: (x) => ind.vwap(x.high, x.low, x.close, x.volume), warmup: ind.vwap.warmup() },
  { name: "cci()", run: (x) => ind.cci(x.high, x.low, x.close), warmup: ind.cci.warmup() },
  { name: "williamsR()", run: (x) => ind.williamsR(x.high, x.low, x.close), warmup: ind.williamsR.warmup() },
  { name: "roc(10)", run: (x) => ind.roc(x.close, 10), warmup: ind.roc.warmup(10) },
  { name: "rollingStd(20)", run: (x) => ind.rollingStd(x.close, 20), warmup: ind.rollingStd.warmup(20) },
  {
    name: "rollingStd(20, sample)",
    run: (x) => ind.rollingStd(x.close, 20, { sample: true }),
    warmup: ind.rollingStd.warmup(20),
  },
  { name: "rollingMin(10)", run: (x) => ind.rollingMin(x.low, 10), warmup: ind.rollingMin.warmup(10) },
  { name: "rollingMax(10)", run: (x) => ind.rollingMax(x.high, 10), warmup: ind.rollingMax.warmup(10) },
  { name: "highest(50)", run: (x) => ind.highest(x.high, 50), warmup: ind.highest.warmup(50) },
  { name: "lowest(50)", run: (x) => ind.lowest(x.low, 50), warmup: ind.lowest.warmup(50) },
  { name: "zscore(20)", run: (x) => ind.zscore(x.close, 20), warmup: ind.zscore.warmup(20) },
  { name: "shift(3)", run: (x) => ind.shift(x.close, 3), warmup: ind.shift.warmup(3) },
  { name: "shift(0)", run: (x) => ind.shift(x.close, 0), warmup: ind.shift.warmup(0) },
  { name: "pctChange()", run: (x) => ind.pctChange(x.close), warmup: ind.pctChange.warmup() },
  {
    name: "ema(rsi(14), 9) composed",
    run: (x) => ind.ema(ind.rsi(x.close, 14), 9),
    warmup: ind.rsi.warmup(14) + ind.ema.warmup(9),
  },
  {
    name: "sma(roc(5), 4) composed",
    run: (x) => ind.sma(ind.roc(x.close, 5), 4),
    warmup: ind.roc.warmup(5) + ind.sma.warmup(4),
  },
];

describe("indicator contract on GOOG daily bars", () => {
  for (const c of cases) testIndicatorContract(c, inputs);
});
