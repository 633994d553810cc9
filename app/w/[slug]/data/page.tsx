import type { Metadata } from "next";
import { CsvUploadForm } from "@/components/data/csv-upload-form";
import { HydrationsPanel } from "@/components/data/hydrations-panel";
import { ProviderFetchForm } from "@/components/data/provider-fetch-form";
import { SourcesPanel } from "@/components/data/sources-panel";
import { SymbolsTable } from "@/components/data/symbols-table";
import { UniversesPanel } from "@/components/data/universes-panel";
import { Card } from "@/components/ui/card";
import { workspaceForPage } from "../workspace-for-page";

export const metadata: Metadata = { title: "Market data" };

export default async function DataPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await workspaceForPage(slug);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Market data</h1>
      <Card
        title="Import a CSV"
        description="One file per symbol. All or nothing: a file with any problem is rejected with every problem by line, and nothing is stored. An import replaces this workspace's earlier data for that symbol."
      >
        <div className="flex flex-col gap-4">
          <CsvUploadForm />
          <ProviderFetchForm />
        </div>
      </Card>
      <Card
        title="Sources"
        description="Where market data can come from. Each source is off until its variable is set (see Configuration in the README); calls go through its rate limit, retries and circuit breaker."
      >
        <SourcesPanel />
      </Card>
      <Card
        title="Hydrations"
        description="Load many symbols from a configured provider in the background; every worker helps. Each symbol lands whole or not at all, once; symbols you already hold get only the bars after their last one. Hydrated universes refresh daily (LAB_DATA_REFRESH_CRON)."
      >
        <HydrationsPanel />
      </Card>
      <Card
        title="Symbols"
        description="Your imports first, then the shared demo universe. Demo data is synthetic: generated from a seeded model, not real prices."
      >
        <SymbolsTable />
      </Card>
      <Card title="Universes" description="Named symbol lists that backtests, screens and alerts can run on.">
        <UniversesPanel />
      </Card>
    </div>
  );
}
