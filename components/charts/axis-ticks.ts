/**
 * Axis ticks people read: round steps (1, 2, 2.5, 5 × 10^k) covering the data, and dates spread
 * over the time axis ("Jan 2021" or "2021" on long spans). Pure; used by the SVG and recharts charts.
 */

/** About `count` round ticks from below `min` to above `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(step)));
  for (let i = 0; start + i * step < max + step * 0.999; i++)
    ticks.push(Number((start + i * step).toFixed(decimals)) || 0);
  return ticks;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date label for a UTC timestamp: "Mar 2021", or just "2021" when `yearsOnly`. */
export function dateLabel(ms: number, yearsOnly = false): string {
  const d = new Date(ms);
  return yearsOnly ? String(d.getUTCFullYear()) : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Indices of about `count` evenly spaced date ticks, labelled, over sorted timestamps. */
export function dateTicks(timestamps: number[], count = 6): { index: number; label: string }[] {
  const n = timestamps.length;
  if (n === 0) return [];
  const spanYears = (timestamps[n - 1] - timestamps[0]) / (365.25 * 86_400_000);
  const yearsOnly = spanYears > count;
  const out: { index: number; label: string }[] = [];
  for (let k = 0; k < count; k++) {
    const index = Math.round((k / Math.max(1, count - 1)) * (n - 1));
    const label = dateLabel(timestamps[index], yearsOnly);
    if (out.length === 0 || out[out.length - 1].label !== label) out.push({ index, label });
  }
  return out;
}
