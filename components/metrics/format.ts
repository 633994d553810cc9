/**
 * The one number formatter of the UI (Lab, run page, compare, public report), so a figure reads
 * the same everywhere: percents and ratios with two decimals, money in whole dollars with
 * thousands separators, counts as integers, "—" for missing values. Fixed locale (en-US) so
 * server and browser render the same text.
 */
export type MetricUnit = "pct" | "ratio" | "money" | "count" | "bars";

const nf = (digits: number) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const two = nf(2);
const zero = nf(0);

export function formatMetric(v: number | null | undefined, unit: MetricUnit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "pct":
      return `${two.format(v)} %`;
    case "ratio":
      return two.format(v);
    case "money":
      return `${v < 0 ? "−" : ""}$${zero.format(Math.abs(v))}`;
    case "count":
      return zero.format(v);
    case "bars":
      return `${zero.format(v)} bars`;
  }
}

/** Money with cents (prices, trade P&L). */
export function formatPrice(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return `${v < 0 ? "−" : ""}$${two.format(Math.abs(v))}`;
}

/** A fraction (0.0015) as a percent with up to 4 decimals ("0.15 %"). */
export function formatRate(fraction: number): string {
  return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(fraction * 100)} %`;
}

/** Axis tick for money: $8k, $55k, $1.2M (short, for charts). */
export function formatMoneyShort(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? "−" : "";
  if (a >= 1e6) return `${sign}$${+(a / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${sign}$${+(a / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return `${sign}$${Math.round(a)}`;
}

/** Starting capital implied by the final equity and the total return. */
export function startingCapital(metrics: Record<string, number | null | undefined>): number | null {
  const end = metrics.final_equity;
  const ret = metrics.total_return_pct;
  if (
    typeof end !== "number" ||
    typeof ret !== "number" ||
    !Number.isFinite(end) ||
    !Number.isFinite(ret) ||
    ret <= -100
  )
    return null;
  return end / (1 + ret / 100);
}
