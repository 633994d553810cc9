/** Small display helpers for run timing (rounded at the edge only). */

/** "850 ms", "12 s", "3 min 05 s", "2 h 04 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** Wall time of a run: finished − started, or so far when still running (needs `nowMs`). */
export function runDuration(run: { startedAt: string | null; finishedAt: string | null }, nowMs: number): string {
  if (!run.startedAt) return "—";
  const end = run.finishedAt ? Date.parse(run.finishedAt) : nowMs;
  return formatDuration(end - Date.parse(run.startedAt));
}

/** "about 12 s left"; null when unknown. */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  return `about ${formatDuration(seconds * 1000)} left`;
}

/** A number for tables: fixed decimals, "—" for null/NaN. */
export function num(v: unknown, digits = 2): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—";
}

/** Resolves a settled promise to nothing (errors are shown from the mutation's own state). */
export function settled(): void {}
