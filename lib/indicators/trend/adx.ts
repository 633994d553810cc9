import { checkPeriod, checkSameLength } from "../internal/validate";
import { withWarmup } from "../internal/with-warmup";
import { trueRangeAt } from "../volatility/true-range";

/** ADX outputs, aligned with the input. */
export interface AdxResult {
  /** Average directional index, 0..100: Wilder average of DX. */
  adx: Float64Array;
  /** +DI, 0..100. */
  plusDI: Float64Array;
  /** −DI, 0..100. */
  minusDI: Float64Array;
  /** Directional movement index, 0..100: `100 * |+DI − −DI| / (+DI + −DI)` (ADX is its Wilder average). */
  dx: Float64Array;
}

/**
 * Wilder's directional movement system. +DM/−DM and true range start at bar 1; their Wilder
 * sums start as the plain sum of bars 1..period-1 and then move by `s = s - s / period + x`.
 * `±DI = 100 * sum(±DM) / sum(TR)` (0 when the range sum is 0), `DX = 100 * |+DI − −DI| / (+DI + −DI)`
 * (0 when both are 0), ADX = mean of the first `period` DX values, then Wilder-smoothed.
 * This is Tulip's placement (from Achelis); TA-Lib gives the same ±DI/DX one bar later and
 * starts ADX one bar later too (the ADX seed difference shrinks by (period-1)/period per bar).
 * Warm-up: plusDI/minusDI/dx `period - 1`, adx `2 * period - 2`. Needs `period >= 2`.
 * @see J. Welles Wilder, New Concepts in Technical Trading Systems (1978)
 */
export const adx = withWarmup(
  function adx(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): AdxResult {
    const n = checkSameLength("adx", { high, low, close });
    checkPeriod("adx", "period", period, 2);
    const plusDI = new Float64Array(n).fill(NaN);
    const minusDI = new Float64Array(n).fill(NaN);
    const dxOut = new Float64Array(n).fill(NaN);
    const out = new Float64Array(n).fill(NaN);
    let sPlus = 0;
    let sMinus = 0;
    let sTr = 0;
    let dxSum = 0;
    let adxValue = 0;
    const adxStart = 2 * period - 2;
    for (let i = 1; i < n; i++) {
      const up = high[i] - high[i - 1];
      const down = low[i - 1] - low[i];
      const pdm = up > down && up > 0 ? up : 0;
      const mdm = down > up && down > 0 ? down : 0;
      const tr = trueRangeAt(high, low, close, i);
      if (i < period) {
        sPlus += pdm;
        sMinus += mdm;
        sTr += tr;
        if (i < period - 1) continue;
      } else {
        sPlus += pdm - sPlus / period;
        sMinus += mdm - sMinus / period;
        sTr += tr - sTr / period;
      }
      const pdi = sTr > 0 ? (100 * sPlus) / sTr : sTr === 0 ? 0 : NaN;
      const mdi = sTr > 0 ? (100 * sMinus) / sTr : sTr === 0 ? 0 : NaN;
      plusDI[i] = pdi;
      minusDI[i] = mdi;
      const diSum = pdi + mdi;
      const dx = diSum > 0 ? (100 * Math.abs(pdi - mdi)) / diSum : diSum === 0 ? 0 : NaN;
      dxOut[i] = dx;
      if (i < adxStart) {
        dxSum += dx;
      } else if (i === adxStart) {
        adxValue = (dxSum + dx) / period;
        out[i] = adxValue;
      } else {
        adxValue = (adxValue * (period - 1) + dx) / period;
        out[i] = adxValue;
      }
    }
    return { adx: out, plusDI, minusDI, dx: dxOut };
  },
  (period = 14): { adx: number; plusDI: number; minusDI: number; dx: number } => ({
    adx: 2 * period - 2,
    plusDI: period - 1,
    minusDI: period - 1,
    dx: period - 1,
  }),
);
