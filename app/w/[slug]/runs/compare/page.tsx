import type { Metadata } from "next";
import Link from "next/link";
import { CompareView, type CompareSide } from "@/components/compare/compare-view";
import { formatDateTime } from "@/components/ui/format-date";
import { getRun, listRuns } from "@/server/services/runs";
import { workspaceForPage } from "../../workspace-for-page";
import { isUuid } from "@/lib/schemas/ids";

export const metadata: Metadata = { title: "Compare runs" };
export const dynamic = "force-dynamic";

const MAX_POINTS = 600;

function label(input: Record<string, unknown>, createdAt: Date | string): string {
  const name = typeof input.strategyName === "string" ? input.strategyName : "strategy";
  const version = typeof input.version === "number" ? ` v${input.version}` : "";
  const data =
    typeof input.universe === "string"
      ? input.universe
      : Array.isArray(input.symbols)
        ? `${input.symbols.length} symbols`
        : "";
  return `${name}${version} · ${data} · ${formatDateTime(new Date(createdAt).toISOString())}`;
}

function thinned(values: unknown, step: number): number[] {
  const arr = Array.isArray(values) ? (values as number[]) : [];
  const out = arr.filter((_, i) => i % step === 0);
  if (arr.length > 0 && (arr.length - 1) % step !== 0) out.push(arr[arr.length - 1]);
  return out;
}

export default async function CompareRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ a?: string; b?: string }>;
}) {
  const { slug } = await params;
  const q = await searchParams;
  const { db, workspace } = await workspaceForPage(slug);
  const { rows } = await listRuns(db, workspace.id, { kind: "backtest", status: "succeeded", limit: 100 });
  const options = rows.map((r) => ({ id: r.id, label: label(r.input as Record<string, unknown>, r.createdAt) }));
  const a = q.a && isUuid(q.a) ? q.a : undefined;
  const b = q.b && isUuid(q.b) ? q.b : undefined;

  async function side(id: string): Promise<CompareSide | string> {
    const run = await getRun(db, workspace.id, id).catch(() => null);
    if (!run) return "That run does not exist in this workspace.";
    const result = run.result as {
      performance_metrics?: Record<string, number | null>;
      engine?: Record<string, unknown>;
    } | null;
    if (run.kind !== "backtest" || run.status !== "succeeded" || !result?.engine)
      return "Only finished backtests can be compared.";
    const ts = Array.isArray(result.engine.timestamps) ? (result.engine.timestamps as number[]) : [];
    const step = Math.max(1, Math.ceil(ts.length / MAX_POINTS));
    return {
      id,
      label: label(run.input as Record<string, unknown>, run.createdAt),
      href: `/w/${slug}/runs/${id}`,
      metrics: result.performance_metrics ?? {},
      timestamps: thinned(ts, step),
      equity: thinned(result.engine.equity, step),
      benchmark: thinned(result.engine.benchmark, step),
    };
  }
  const [sa, sb] = await Promise.all([a ? side(a) : null, b ? side(b) : null]);
  const problem = typeof sa === "string" ? `A: ${sa}` : typeof sb === "string" ? `B: ${sb}` : null;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href={`/w/${slug}/runs`} className="text-sm text-slate-600 hover:underline">
          ← Runs
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Compare runs</h1>
        <p className="text-sm text-slate-600">
          Pick two finished backtests to see their metrics and equity curves side by side.
        </p>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="compare-form">
        {(["a", "b"] as const).map((k) => (
          <label key={k} className="flex min-w-64 flex-1 flex-col gap-1">
            Run {k.toUpperCase()}
            <select
              name={k}
              defaultValue={k === "a" ? a : b}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
              data-testid={`compare-${k}`}
            >
              <option value="">Choose a backtest…</option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
          data-testid="compare-submit"
        >
          Compare
        </button>
      </form>
      {options.length < 2 ? (
        <p className="text-sm text-slate-600">Run at least two backtests to compare them.</p>
      ) : null}
      {problem ? (
        <p role="alert" className="text-sm text-red-700" data-testid="compare-error">
          {problem}
        </p>
      ) : null}
      {sa && sb && typeof sa !== "string" && typeof sb !== "string" ? <CompareView a={sa} b={sb} /> : null}
    </div>
  );
}
