import type { Metadata } from "next";
import { AuditFilters } from "@/components/workspace/audit-filters";
import { AuditPager } from "@/components/workspace/audit-pager";
import { auditExportHref, auditPageLinks, auditRange, parseAuditSearch } from "@/components/workspace/audit-query";
import { AuditTable } from "@/components/workspace/audit-table";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { listMembers } from "@/server/db/queries/workspaces";
import { listAudit } from "@/server/services/audit";
import { auditTargetLabels } from "@/server/services/audit-targets";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  if (!(await mayOnPage(slug, "audit.read"))) {
    return (
      <EmptyState title="Only admins can see the audit log" data-testid="audit-forbidden">
        Ask an owner or admin of {workspace.name} if you need to know who changed what.
      </EmptyState>
    );
  }
  const search = parseAuditSearch(await searchParams);
  const basePath = `/w/${workspace.slug}/audit`;
  const [members, page] = await Promise.all([
    listMembers(db, workspace.id),
    listAudit(db, {
      workspaceId: workspace.id,
      actorId: search.actor || undefined,
      action: search.action || undefined,
      ...auditRange(search),
      beforeId: search.cursor ?? undefined,
      limit: search.size,
    }),
  ]);
  const links = auditPageLinks(search, page.nextCursor);
  const targetLabels = await auditTargetLabels(db, workspace, page.rows);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <a
          href={auditExportHref(workspace.id, search)}
          className={buttonClass("secondary")}
          data-testid="audit-export"
          download
        >
          Export CSV
        </a>
      </div>
      <Card>
        <AuditFilters search={search} actors={members} basePath={basePath} />
      </Card>
      <Card>
        <div className="flex flex-col gap-4">
          <AuditTable
            rows={page.rows}
            userLabels={Object.fromEntries(members.map((m) => [m.userId, m.email ?? m.userId]))}
            targetLabels={targetLabels}
          />
          <AuditPager basePath={basePath} newer={links.newer} older={links.older} />
        </div>
      </Card>
    </div>
  );
}
