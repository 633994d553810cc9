/**
 * The standard normal distribution: CDF Φ and its inverse Φ⁻¹, accurate to about 1e-15 (CDF, via
 * erfc) and 1e-9 relative (inverse, Acklam's rational approximation refined by one Halley step).
 */

/** Complementary error function, W. J. Cody's rational approximations (as in most libms). */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  const z = Math.abs(x);
  let r: number;
  if (z < 0.5) {
    // erfc = 1 - erf on the small range, erf by its Taylor-like rational fit
    const t = z * z;
    const num =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t + 377.485237685302021) * t +
      3209.37758913846947;
    const den =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    const erf = (z * num) / den;
    return x >= 0 ? 1 - erf : 1 + erf;
  }
  if (z < 4) {
    const num =
      (((((((2.15311535474403846e-8 * z + 0.564188496988670089) * z + 8.88314979438837594) * z + 66.1191906371416295) *
        z +
        298.635138197400131) *
        z +
        881.95222124176909) *
        z +
        1712.04761263407058) *
        z +
        2051.07837782607147) *
        z +
      1230.33935479799725;
    const den =
      (((((((z + 15.7449261107098347) * z + 117.693950891312499) * z + 537.181101862009858) * z + 1621.38957456669019) *
        z +
        3290.79923573345963) *
        z +
        4362.61909014324716) *
        z +
        3439.36767414372164) *
        z +
      1230.33935480374942;
    r = (Math.exp(-z * z) * num) / den;
  } else {
    const t = 1 / (z * z);
    const num =
      ((((0.0163153871373020978 * t + 0.305326634961232344) * t + 0.360344899949804439) * t + 0.125781726111229246) *
        t +
        0.0160837851487422766) *
        t +
      6.58749161529837803e-4;
    const den =
      ((((t + 2.56852019228982242) * t + 1.87295284992346725) * t + 0.527905102951428412) * t + 0.0605183413124413191) *
        t +
      0.00233520497626869185;
    r = (Math.exp(-z * z) / z) * (0.564189583547756287 - (t * num) / den);
  }
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Inverse standard normal CDF Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1, NaN outside. */
export function normPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // one Halley refinement step
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
