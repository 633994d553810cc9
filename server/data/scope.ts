import "server-only";
/**
 * Market data is shared (workspace_id null: the demo universe, operator imports) or a workspace's
 * own (its CSV imports, its universes). A workspace sees both, and where both have a row of the
 * same name, its own row wins. This module is the one place that rule is written.
 */
import { eq, isNull, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** Rows a workspace sees: shared ones and its own (`workspaceId` null/undefined: shared only). */
export function visibleTo(workspaceColumn: PgColumn, workspaceId: string | null | undefined): SQL {
  return workspaceId ? (or(isNull(workspaceColumn), eq(workspaceColumn, workspaceId)) as SQL) : isNull(workspaceColumn);
}

/** One row per key, the workspace's own row winning over a shared one; first-seen order of keys. */
export function ownRowsWin<R extends { workspaceId: string | null }>(
  rows: readonly R[],
  key: (row: R) => string,
): Map<string, R> {
  const best = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    if (!best.has(k) || r.workspaceId !== null) best.set(k, r);
  }
  return best;
}
