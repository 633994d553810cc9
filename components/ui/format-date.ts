/** "2025-03-14" (UTC), identical on server and client so hydration never differs. */
export function formatDate(value: Date | string): string {
  return new Date(value).toISOString().slice(0, 10);
}

/** "2025-03-14 09:26:53 UTC". */
export function formatDateTime(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
