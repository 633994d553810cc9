/**
 * Technical indicators: pure, vectorized functions over price arrays. Every output is a new
 * Float64Array aligned with the input, NaN during warm-up; `fn.warmup(...params)` gives that
 * warm-up length. Self-contained (imports nothing outside this folder) so it can be bundled
 * into the strategy sandbox. Conventions: ./README.md.
 */
import { crossover, crossunder } from "./signals/cross";
import { cci } from "./momentum/cci";
import { roc } from "./momentum/roc";
import { rsi } from "./momentum/rsi";
import { stochastic } from "./momentum/stochastic";
import { williamsR } from "./momentum/williams-r";
import { pctChange } from "./rolling/pct-change";
import { highest, lowest, rollingMax, rollingMin } from "./rolling/rolling-extreme";
import { rollingStd } from "./rolling/rolling-std";
import { shift } from "./rolling/shift";
import { zscore } from "./rolling/zscore";
import { adx } from "./trend/adx";
import { ema } from "./trend/ema";
import { macd } from "./trend/macd";
import { rma } from "./trend/rma";
import { sma } from "./trend/sma";
import { wma } from "./trend/wma";
import { atr } from "./volatility/atr";
import { bollinger } from "./volatility/bollinger";
import { trueRange } from "./volatility/true-range";
import { obv } from "./volume/obv";
import { vwap } from "./volume/vwap";

export type { EmaSeed } from "./trend/ema";
export type { MacdResult } from "./trend/macd";
export type { AdxResult } from "./trend/adx";
export type { BollingerResult } from "./volatility/bollinger";
export type { StochasticResult } from "./momentum/stochastic";
export type { RollingStdOptions } from "./rolling/rolling-std";

export {
  sma,
  ema,
  wma,
  rma,
  macd,
  adx,
  rsi,
  stochastic,
  williamsR,
  cci,
  roc,
  atr,
  trueRange,
  bollinger,
  obv,
  vwap,
  rollingStd,
  rollingMin,
  rollingMax,
  highest,
  lowest,
  zscore,
  shift,
  pctChange,
  crossover,
  crossunder,
};

/** Every indicator in one frozen object: what a strategy receives as its `ta` argument. */
export const ta = Object.freeze({
  sma,
  ema,
  wma,
  rma,
  macd,
  adx,
  rsi,
  stochastic,
  williamsR,
  cci,
  roc,
  atr,
  trueRange,
  bollinger,
  obv,
  vwap,
  rollingStd,
  rollingMin,
  rollingMax,
  highest,
  lowest,
  zscore,
  shift,
  pctChange,
  crossover,
  crossunder,
});

/** Type of the `ta` object handed to strategies. */
export type Ta = typeof ta;
