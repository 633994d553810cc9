import type { Metadata } from "next";
import { ReportsTable } from "./reports-table";
import { Card } from "@/components/ui/card";
import { listReports } from "@/server/services/reports";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Reports" };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export default async function ReportsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  const rows = await listReports(db, workspace.id);
  const reports = rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
  }));
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Reports</h1>
      <Card
        title={`${reports.length} published report${reports.length === 1 ? "" : "s"}`}
        description="Read-only snapshots of finished backtests, open to anyone with the link. Links are shown once when published; only a hash is kept, so a lost link cannot be recovered — publish again and revoke the old one."
      >
        <ReportsTable reports={reports} nowMs={Date.now()} />
      </Card>
    </div>
  );
}
