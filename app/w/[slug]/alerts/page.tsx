import type { Metadata } from "next";
import { AlertsView } from "@/components/alerts/alerts-view";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { env } from "@/lib/env";
import { runnableUniverses } from "@/server/data/universes";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

export default async function AlertsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  const universes = await runnableUniverses(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Alerts</h1>
          <p className="text-sm text-slate-500">
            Rules watch symbols as new bars arrive and notify you in the app, by webhook or by email.
          </p>
        </div>
        <NotificationBell />
      </div>
      <AlertsView universes={universes} emailConfigured={Boolean(env().SMTP_URL)} />
    </div>
  );
}
