/**
 * The audit page's URL state: filters (actor, action, from/to as YYYY-MM-DD, UTC days) and the
 * keyset position (`cursor` = show rows older than this id; `trail` = cursors of the newer
 * pages, so "Newer" can step back).
 */
export interface AuditSearch {
  actor: string;
  action: string;
  from: string;
  to: string;
  cursor: number | null;
  trail: number[];
  /** Rows per page (1–200, default 50). */
  size: number;
}

export const DEFAULT_AUDIT_PAGE_SIZE = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function parseAuditSearch(params: Record<string, string | string[] | undefined>): AuditSearch {
  const cursor = Number(first(params.cursor));
  const size = Number(first(params.size));
  return {
    actor: first(params.actor).slice(0, 64),
    action: first(params.action).trim().slice(0, 80),
    from: DAY.test(first(params.from)) ? first(params.from) : "",
    to: DAY.test(first(params.to)) ? first(params.to) : "",
    cursor: Number.isInteger(cursor) && cursor > 0 ? cursor : null,
    trail: first(params.trail)
      .split(",")
      .filter((s) => /^\d+$/.test(s))
      .map(Number)
      .slice(-200),
    size: Number.isInteger(size) && size >= 1 && size <= 200 ? size : DEFAULT_AUDIT_PAGE_SIZE,
  };
}

/** Start and end instants of the chosen days (whole UTC days, `to` inclusive). */
export function auditRange(s: AuditSearch): { from?: Date; to?: Date } {
  return {
    from: s.from ? new Date(`${s.from}T00:00:00.000Z`) : undefined,
    to: s.to ? new Date(`${s.to}T23:59:59.999Z`) : undefined,
  };
}

/** Query string of the filters (plus any extra keys); empty values are left out. */
export function auditQueryString(s: AuditSearch, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (s.actor) q.set("actor", s.actor);
  if (s.action) q.set("action", s.action);
  if (s.from) q.set("from", s.from);
  if (s.to) q.set("to", s.to);
  if (s.size !== DEFAULT_AUDIT_PAGE_SIZE) q.set("size", String(s.size));
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
}

/** Link to the CSV export with the same filters. */
export function auditExportHref(workspaceId: string, s: AuditSearch): string {
  const q = new URLSearchParams({ workspaceId });
  const range = auditRange(s);
  if (s.actor) q.set("actorId", s.actor);
  if (s.action) q.set("action", s.action);
  if (range.from) q.set("from", range.from.toISOString());
  if (range.to) q.set("to", range.to.toISOString());
  return `/api/audit/export?${q.toString()}`;
}

/** Hrefs (query strings) of the neighbouring pages, or null at either end. */
export function auditPageLinks(
  s: AuditSearch,
  nextCursor: number | null,
): { newer: string | null; older: string | null } {
  const older =
    nextCursor === null
      ? null
      : `?${auditQueryString(s, { cursor: String(nextCursor), trail: [...s.trail, s.cursor ?? 0].join(",") })}`;
  if (s.cursor === null) return { newer: null, older };
  const back = s.trail[s.trail.length - 1] ?? 0;
  const newer = `?${auditQueryString(s, { cursor: back > 0 ? String(back) : "", trail: s.trail.slice(0, -1).join(",") })}`;
  return { newer, older };
}
