/** Study settings the optimize benchmarks share. */

/** The RSI + volume example's three searched params (an int, two stepped floats). */
export const RSI_VOLUME_RANGES = {
  rsiPeriod: { min: 5, max: 30 },
  oversold: { min: 15, max: 40, step: 0.5 },
  volumeMultiple: { min: 1, max: 3, step: 0.1 },
};
