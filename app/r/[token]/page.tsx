import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { ReportView } from "@/components/reports/report-view";
import { getDb } from "@/server/db";
import { DEAD_REPORT_MESSAGES, reportMetadataBase } from "@/server/http/report-link";
import { getPublicReport } from "@/server/services/reports";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const report = await getPublicReport(await getDb(), token);
  const title = report.state === "ok" ? report.snapshot.title : "Report unavailable";
  // Preview image URLs must be absolute: APP_URL, else what a trusted proxy forwarded (never the
  // bare Host header; README, APP_URL).
  const metadataBase = reportMetadataBase(await headers());
  return {
    title,
    ...(metadataBase ? { metadataBase } : {}),
    robots: { index: false, follow: false, nocache: true },
    openGraph: { title: `${title} · Strategy Lab backtest` },
  };
}

export default async function ReportPage({
  params,
  searchParams,
}: Props & { searchParams?: Promise<{ trades?: string }> }) {
  const { token } = await params;
  const tradesPage = Number((await searchParams)?.trades ?? 1);
  const report = await getPublicReport(await getDb(), token);
  if (report.state === "ok") return <ReportView snapshot={report.snapshot} tradesPage={tradesPage} />;
  // Normally answered by proxy.ts with 404/410 before this page renders.
  const [title, detail] = DEAD_REPORT_MESSAGES[report.state];
  return (
    <main className="mx-auto max-w-xl space-y-3 px-6 py-24 text-center" data-testid={`report-${report.state}`}>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600">{detail}</p>
      <Link className="underline" href="/">
        Strategy Lab
      </Link>
    </main>
  );
}
