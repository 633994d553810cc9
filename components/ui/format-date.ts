/** "2025-03-14" (UTC), identical on server and client so hydration never differs. */
export function formatDate(value: Date | string): string {
  return new Date(value).toISOString().slice(0, 10);
}

/** A bar's time: the date alone for a daily bar (00:00 UTC), else the date and time. */
export function formatBarTime(ms: number): string {
  return ms % 86_400_000 === 0 ? formatDate(new Date(ms).toISOString()) : formatDateTime(new Date(ms).toISOString());
}

/** "2025-03-14 09:26:53 UTC". */
export function formatDateTime(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
