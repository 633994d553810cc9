import "server-only";
/**
 * Readable audit targets: the names behind the ids an audit row points at (strategy and screen
 * names, a run's kind and strategy, report titles, key and channel names, an invite's role), with a
 * link to the target's page where it has one. Rows whose target is gone keep the raw id.
 */
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/server/db";
import { alertChannels, alertRules, apiKeys, invites, reports, runs, screens, strategies } from "@/server/db/schema";

export interface AuditTargetLabel {
  label: string;
  href?: string;
}

interface Lookup {
  table: PgTable;
  id: PgColumn;
  workspaceId: PgColumn;
  label: PgColumn;
  href?: (slug: string, id: string) => string;
}

const LOOKUPS: Record<string, Lookup> = {
  strategy: {
    table: strategies,
    id: strategies.id,
    workspaceId: strategies.workspaceId,
    label: strategies.name,
    href: (s, id) => `/w/${s}/strategies/${id}`,
  },
  screen: {
    table: screens,
    id: screens.id,
    workspaceId: screens.workspaceId,
    label: screens.name,
    href: (s) => `/w/${s}/screens`,
  },
  report: {
    table: reports,
    id: reports.id,
    workspaceId: reports.workspaceId,
    label: reports.title,
    href: (s) => `/w/${s}/reports`,
  },
  api_key: {
    table: apiKeys,
    id: apiKeys.id,
    workspaceId: apiKeys.workspaceId,
    label: apiKeys.name,
    href: (s) => `/w/${s}/keys`,
  },
  alert_rule: {
    table: alertRules,
    id: alertRules.id,
    workspaceId: alertRules.workspaceId,
    label: alertRules.name,
    href: (s) => `/w/${s}/alerts`,
  },
  alert_channel: {
    table: alertChannels,
    id: alertChannels.id,
    workspaceId: alertChannels.workspaceId,
    label: alertChannels.name,
    href: (s) => `/w/${s}/alerts`,
  },
  invite: {
    table: invites,
    id: invites.id,
    workspaceId: invites.workspaceId,
    label: invites.role,
    href: (s) => `/w/${s}/members`,
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Labels keyed `${type}:${id}` for the targets of `rows` (one query per target type present). */
export async function auditTargetLabels(
  db: DbOrTx,
  workspace: { id: string; slug: string },
  rows: readonly { targetType: string | null; targetId: string | null }[],
): Promise<Record<string, AuditTargetLabel>> {
  const ids = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.targetType && r.targetId && UUID.test(r.targetId))
      (ids.get(r.targetType) ?? ids.set(r.targetType, new Set()).get(r.targetType))?.add(r.targetId);
  const out: Record<string, AuditTargetLabel> = {};
  const tasks: Promise<void>[] = [];
  for (const [type, set] of ids) {
    const list = [...set];
    if (type === "run") {
      tasks.push(
        db
          .select({ id: runs.id, kind: runs.kind, input: runs.input })
          .from(runs)
          .where(and(inArray(runs.id, list), eq(runs.workspaceId, workspace.id)))
          .then((found) => {
            for (const r of found) {
              const name = (r.input as { strategyName?: unknown }).strategyName;
              out[`run:${r.id}`] = {
                label: `${r.kind}${typeof name === "string" ? ` · ${name}` : ""}`,
                href: `/w/${workspace.slug}/runs/${r.id}`,
              };
            }
          }),
      );
      continue;
    }
    const l = LOOKUPS[type];
    if (!l) continue;
    const where: SQL | undefined = and(inArray(l.id, list), eq(l.workspaceId, workspace.id));
    tasks.push(
      db
        .select({ id: l.id, label: l.label })
        .from(l.table)
        .where(where)
        .then((found) => {
          for (const r of found as { id: string; label: string }[])
            out[`${type}:${r.id}`] = {
              label: type === "invite" ? `invite as ${r.label}` : r.label,
              href: l.href?.(workspace.slug, r.id),
            };
        }),
    );
  }
  await Promise.all(tasks);
  return out;
}
