import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";

export interface AuditTableRow {
  id: number;
  createdAt: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  metadata: Record<string, unknown> | null;
}

/** "to: viewer · from: member" — metadata values as short text (objects as JSON). */
function describeMetadata(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

function Target({
  row,
  userLabels,
  targetLabels,
}: {
  row: AuditTableRow;
  userLabels: Readonly<Record<string, string>>;
  targetLabels: Readonly<Record<string, { label: string; href?: string }>>;
}) {
  if (!row.targetType) return <>—</>;
  const type = row.targetType.replace("_", " ");
  const named = row.targetId ? targetLabels[`${row.targetType}:${row.targetId}`] : undefined;
  const label = named?.label ?? (row.targetType === "user" && row.targetId ? userLabels[row.targetId] : undefined);
  if (!label) return <>{`${type} ${row.targetId ?? ""}`}</>;
  return (
    <span title={row.targetId ?? undefined}>
      {type}{" "}
      {named?.href ? (
        <Link href={named.href} className="font-medium text-slate-800 hover:underline">
          {label}
        </Link>
      ) : (
        <span className="font-medium text-slate-800">{label}</span>
      )}
    </span>
  );
}

/**
 * One row per recorded change, newest first. Targets read as names: `userLabels` turns user ids
 * into emails, `targetLabels` (keyed `type:id`) other targets into names with links.
 */
export function AuditTable({
  rows,
  userLabels = {},
  targetLabels = {},
}: {
  rows: readonly AuditTableRow[];
  userLabels?: Readonly<Record<string, string>>;
  targetLabels?: Readonly<Record<string, { label: string; href?: string }>>;
}) {
  if (rows.length === 0) return <EmptyState title="No audit entries match" data-testid="audit-empty" />;
  return (
    <Table data-testid="audit-table">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>IP</Th>
          <Th>Details</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="audit-row" data-action={r.action}>
            <Td className="whitespace-nowrap text-slate-500">{formatDateTime(r.createdAt)}</Td>
            <Td>
              <span data-testid="audit-actor">{r.actorLabel ?? r.actorId ?? "—"}</span>
              <Badge className="ml-2">{r.actorType.replace("_", " ")}</Badge>
            </Td>
            <Td>
              <code className="text-xs" data-testid="audit-action">
                {r.action}
              </code>
            </Td>
            <Td className="text-xs text-slate-600" data-testid="audit-target">
              <Target row={r} userLabels={userLabels} targetLabels={targetLabels} />
            </Td>
            <Td className="text-xs text-slate-600">{r.ip ?? "—"}</Td>
            <Td className="max-w-72 text-xs text-slate-600">
              {r.metadata ? <span className="break-all">{describeMetadata(r.metadata)}</span> : "—"}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
