/**
 * Chart rows from columnar arrays, thinned to at most `maxPoints` evenly spaced rows (always
 * keeping the last) so long histories stay light in the browser.
 */
export function toChartRows(
  timestamps: number[],
  series: Record<string, number[]>,
  maxPoints = 800,
): Record<string, number | string>[] {
  const n = timestamps.length;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i += step) rows.push(row(i));
  if (n > 0 && (n - 1) % step !== 0) rows.push(row(n - 1));
  return rows;

  function row(i: number) {
    const r: Record<string, number | string> = { date: new Date(timestamps[i]).toISOString().slice(0, 10) };
    for (const [k, v] of Object.entries(series)) r[k] = v[i];
    return r;
  }
}
