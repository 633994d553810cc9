import "server-only";
/**
 * The one audit helper: every mutation calls it inside the transaction that makes the change,
 * so a change and its audit row commit or roll back together.
 */
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { auditLog } from "@/server/db/schema";
import type { Actor } from "@/server/auth/access";

/** Who did it: a signed-in user, an API key, an operator at the command line, or the system. */
export interface AuditEntry {
  action: string;
  actor: Actor;
  workspaceId?: string | null;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
}

export async function recordAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: entry.workspaceId ?? null,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    metadata: entry.metadata ?? null,
    ip: entry.actor.ip ?? null,
  });
}

export interface AuditFilter {
  workspaceId: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Keyset pagination: rows with id below this. */
  beforeId?: number;
  limit: number;
}

export async function listAudit(db: DbOrTx, f: AuditFilter) {
  const where: SQL[] = [eq(auditLog.workspaceId, f.workspaceId)];
  if (f.actorId) where.push(eq(auditLog.actorId, f.actorId));
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.from) where.push(gte(auditLog.createdAt, f.from));
  if (f.to) where.push(lte(auditLog.createdAt, f.to));
  if (f.beforeId !== undefined) where.push(lt(auditLog.id, f.beforeId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit + 1);
  const hasMore = rows.length > f.limit;
  const page = hasMore ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextCursor: hasMore ? page[page.length - 1].id : null };
}

const CSV_COLUMNS = [
  "id",
  "created_at",
  "actor_type",
  "actor_id",
  "actor_label",
  "action",
  "target_type",
  "target_id",
  "ip",
  "metadata",
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  // Neutralise spreadsheet formulas.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** All rows matching the filter (no pagination) as CSV. */
export async function exportAuditCsv(db: DbOrTx, f: Omit<AuditFilter, "limit" | "beforeId">): Promise<string> {
  const lines: string[] = [CSV_COLUMNS.join(",")];
  let beforeId: number | undefined;
  for (;;) {
    const { rows, nextCursor } = await listAudit(db, { ...f, beforeId, limit: 1000 });
    for (const r of rows) {
      lines.push(
        [r.id, r.createdAt, r.actorType, r.actorId, r.actorLabel, r.action, r.targetType, r.targetId, r.ip, r.metadata]
          .map(csvCell)
          .join(","),
      );
    }
    if (nextCursor === null) break;
    beforeId = nextCursor;
  }
  return `${lines.join("\n")}\n`;
}
