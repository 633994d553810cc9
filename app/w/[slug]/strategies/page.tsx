import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { listStrategies } from "@/server/services/strategies";
import { mayOnPage, workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Strategies" };
export const dynamic = "force-dynamic";

export default async function StrategiesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { db, workspace } = await workspaceForPage(slug);
  const canWrite = await mayOnPage(slug, "strategies.write");
  const rows = await listStrategies(db, workspace.id);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">Strategies</h1>
        {canWrite ? (
          <Link href={`/w/${slug}/lab`} className={buttonClass()}>
            New in the Lab
          </Link>
        ) : null}
      </div>
      <Card>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="strategies-empty">
            No strategies yet. Describe one in the Lab.
          </p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="strategies-list">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-2 py-1">Name</th>
                <th className="px-2 py-1">State</th>
                <th className="px-2 py-1 text-right">Versions</th>
                <th className="px-2 py-1">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} className="border-b border-slate-100">
                  <td className="px-2 py-1">
                    <Link href={`/w/${slug}/strategies/${s.id}`} className="font-medium hover:underline">
                      {s.name}
                    </Link>
                    <div className="text-xs text-slate-500">{s.description.slice(0, 140)}</div>
                  </td>
                  <td className="px-2 py-1 text-xs">{s.state}</td>
                  <td className="px-2 py-1 text-right tabular-nums">{s.latestVersion}</td>
                  <td className="px-2 py-1 text-xs text-slate-500">
                    {s.updatedAt.toISOString().slice(0, 16).replace("T", " ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
