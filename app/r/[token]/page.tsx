import type { Metadata } from "next";
import Link from "next/link";
import { ReportView } from "@/components/reports/report-view";
import { getDb } from "@/server/db";
import { getPublicReport } from "@/server/services/reports";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { token } = await params;
  const report = await getPublicReport(await getDb(), token);
  const title = report.state === "ok" ? report.snapshot.title : "Report unavailable";
  return { title, robots: { index: false, follow: false, nocache: true }, openGraph: { title: `${title} · Strategy Lab backtest` } };
}

const MESSAGES = {
  revoked: ["This report was withdrawn", "The person who shared it has revoked the link."],
  expired: ["This report has expired", "The link was shared with an expiry date that has passed."],
  missing: ["Report not found", "Check that the link is complete; it may have been mistyped."],
} as const;

export default async function ReportPage({ params, searchParams }: Props & { searchParams?: Promise<{ trades?: string }> }) {
  const { token } = await params;
  const tradesPage = Number((await searchParams)?.trades ?? 1);
  const report = await getPublicReport(await getDb(), token);
  if (report.state === "ok") return <ReportView snapshot={report.snapshot} tradesPage={tradesPage} />;
  const [title, detail] = MESSAGES[report.state];
  return (
    <main className="mx-auto max-w-xl space-y-3 px-6 py-24 text-center" data-testid={`report-${report.state}`}>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600">{detail}</p>
      <Link className="underline" href="/">Strategy Lab</Link>
    </main>
  );
}
