"use client";
/**
 * An optimization study's result: the honest figures in words first, the best parameters in and
 * out of sample, optimization history with the best-so-far line, parameter importance, a 2-D
 * heatmap for two-parameter grids, walk-forward and subset stages, and the trial table with CSV.
 */
import { useMemo, useState } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { OptimizeResult as Result, TrialJson } from "@/lib/modes/optimize";
import { AXIS_TICK } from "@/components/charts/equity-chart";
import { HistoryChart } from "./history-chart";

/** The first objective's value of a trial (single- and multi-objective studies alike). */
const firstValue = (t: TrialJson): number | null => t.value ?? t.values?.[0] ?? null;

const fmt = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)} %`);

/** Every n-th point so a chart stays responsive at 10,000 trials (the best-so-far line keeps every change). */
function downSample<T>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const step = Math.ceil(rows.length / max);
  return rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
}

function csv(r: Result): string {
  const names = Object.keys(r.trials[0]?.params ?? {});
  const metricKeys = ["sharpe", "total_return_pct", "max_drawdown_pct", "num_trades"];
  const head = ["number", "state", ...names, "value", ...metricKeys];
  const rows = r.trials.map((t) => [
    t.number,
    t.state,
    ...names.map((n) => String(t.params[n])),
    t.value ?? (t.values ?? []).join(";"),
    ...metricKeys.map((k) => t.metrics?.[k] ?? ""),
  ]);
  return [head, ...rows]
    .map((row) =>
      row.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c ?? ""))).join(","),
    )
    .join("\n");
}

/** Slice plots: the objective of every complete trial against each numeric param (down-sampled). */
function Slices({ r }: { r: Result }) {
  const names = Object.keys(r.space).filter((n) => r.trials.some((t) => typeof t.params[n] === "number"));
  const pts = downSample(
    r.trials.filter((t) => typeof firstValue(t) === "number"),
    3000,
  );
  if (names.length === 0 || pts.length === 0) return null;
  return (
    <figure data-testid="optimize-slices">
      <h3 className="mb-1 text-sm font-semibold">Slice: {r.objectives[0].metric} against each param</h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        {names.map((n) => (
          <div key={n} className="h-44">
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart
                data={pts.map((t) => ({ x: t.params[n] as number, y: firstValue(t) as number }))}
                margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
              >
                <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
                <XAxis
                  dataKey="x"
                  type="number"
                  name={n}
                  tick={AXIS_TICK}
                  domain={["auto", "auto"]}
                  label={{ value: n, position: "insideBottomRight", offset: -2, fontSize: 11 }}
                />
                <YAxis dataKey="y" type="number" tick={AXIS_TICK} width={44} domain={["auto", "auto"]} />
                <Scatter dataKey="y" fill="#2563eb" isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        ))}
      </div>
    </figure>
  );
}

/** Pareto front of a two-objective study: every complete trial, the front highlighted. */
function Pareto({ r }: { r: Result }) {
  if (!r.pareto_front || r.objectives.length < 2) return null;
  const front = new Set(r.pareto_front);
  const rows = downSample(
    r.trials.filter((t) => t.values && t.values.every((v) => typeof v === "number")),
    3000,
  ).map((t) => ({ x: t.values![0], y: t.values![1], front: front.has(t.number) ? t.values![1] : null }));
  return (
    <figure data-testid="optimize-pareto">
      <h3 className="mb-1 text-sm font-semibold">
        Pareto front: {r.objectives[0].metric} vs {r.objectives[1].metric}
      </h3>
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
            <XAxis dataKey="x" type="number" tick={AXIS_TICK} domain={["auto", "auto"]} />
            <YAxis type="number" tick={AXIS_TICK} width={56} domain={["auto", "auto"]} />
            <Tooltip />
            <Scatter dataKey="y" name="trial" fill="#94a3b8" isAnimationActive={false} />
            <Scatter dataKey="front" name="Pareto front" fill="#dc2626" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * Parallel coordinates: one line per complete trial across the params (each scaled to 0–1 over
 * its range; categorical by choice index) and the objective; the best 10 % drawn in red.
 */
function ParallelCoordinates({ r }: { r: Result }) {
  const names = Object.keys(r.space);
  const done = downSample(
    r.trials.filter((t) => typeof firstValue(t) === "number"),
    300,
  );
  if (names.length < 2 || done.length < 2) return null;
  const scale = (n: string, v: unknown): number => {
    const d = r.space[n] as { type: string; low?: number; high?: number; log?: boolean; choices?: unknown[] };
    if (d.type === "categorical") return (d.choices!.indexOf(v) / Math.max(1, d.choices!.length - 1)) as number;
    const lo = d.log ? Math.log(d.low!) : d.low!;
    const hi = d.log ? Math.log(d.high!) : d.high!;
    const x = d.log ? Math.log(v as number) : (v as number);
    return hi === lo ? 0.5 : (x - lo) / (hi - lo);
  };
  const vals = done.map((t) => firstValue(t) as number);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const sorted = [...vals].sort((a, b) => (r.objectives[0].direction === "maximize" ? b - a : a - b));
  const cut = sorted[Math.max(0, Math.ceil(sorted.length * 0.1) - 1)];
  const good = (v: number) => (r.objectives[0].direction === "maximize" ? v >= cut : v <= cut);
  const axes = [...names, r.objectives[0].metric];
  const W = 720;
  const H = 220;
  const x = (i: number) => 40 + (i * (W - 80)) / (axes.length - 1);
  const y = (u: number) => H - 20 - u * (H - 40);
  return (
    <figure data-testid="optimize-parallel">
      <h3 className="mb-1 text-sm font-semibold">Parallel coordinates (best 10 % in red)</h3>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="w-full max-w-3xl"
        role="img"
        aria-label="parallel coordinates of the trials"
      >
        {done.map((t) => {
          const us = [
            ...names.map((n) => scale(n, t.params[n])),
            hi === lo ? 0.5 : ((firstValue(t) as number) - lo) / (hi - lo),
          ];
          return (
            <polyline
              key={t.number}
              points={us.map((u, i) => `${x(i)},${y(u)}`).join(" ")}
              fill="none"
              stroke={good(firstValue(t) as number) ? "#dc2626" : "#94a3b8"}
              strokeOpacity={good(firstValue(t) as number) ? 0.9 : 0.35}
              strokeWidth={1}
            />
          );
        })}
        {axes.map((a, i) => (
          <g key={a}>
            <line x1={x(i)} x2={x(i)} y1={20} y2={H - 20} stroke="#334155" />
            <text x={x(i)} y={12} textAnchor="middle" fontSize={11} fill="#334155">
              {a}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** Intermediate values (pruning steps) of the trials that reported them; pruned trials in grey. */
function Intermediate({ r }: { r: Result }) {
  const withIv = downSample(
    r.trials.filter((t) => t.intermediate && t.intermediate.length > 0),
    300,
  );
  if (withIv.length === 0) return null;
  const steps = Math.max(...withIv.flatMap((t) => t.intermediate!.map(([s]) => s)));
  const vs = withIv.flatMap((t) => t.intermediate!.map(([, v]) => v)).filter(Number.isFinite);
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const W = 480;
  const H = 200;
  const x = (s: number) => 40 + (steps === 0 ? 0 : (s * (W - 60)) / steps);
  const y = (v: number) => H - 20 - (hi === lo ? 0.5 : (v - lo) / (hi - lo)) * (H - 40);
  return (
    <figure data-testid="optimize-intermediate">
      <h3 className="mb-1 text-sm font-semibold">
        Intermediate values by resource step (
        {r.pruning_resource ? `${r.pruning_resource.kind} share ${r.pruning_resource.levels.join(" → ")}` : "steps"})
      </h3>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="w-full max-w-xl"
        role="img"
        aria-label="intermediate values of the trials"
      >
        {withIv.map((t) => (
          <polyline
            key={t.number}
            points={t
              .intermediate!.filter(([, v]) => Number.isFinite(v))
              .map(([s, v]) => `${x(s)},${y(v)}`)
              .join(" ")}
            fill="none"
            stroke={t.state === "pruned" ? "#94a3b8" : "#2563eb"}
            strokeOpacity={0.6}
          />
        ))}
        <line x1={40} x2={W - 20} y1={H - 20} y2={H - 20} stroke="#334155" />
        <line x1={40} x2={40} y1={20} y2={H - 20} stroke="#334155" />
        <text x={40} y={14} fontSize={11} fill="#334155">
          {fmt(hi)}
        </text>
        <text x={40} y={H - 4} fontSize={11} fill="#334155">
          {fmt(lo)}
        </text>
      </svg>
    </figure>
  );
}

/** Contour-like view for any study: the first two numeric params, each trial coloured by its objective. */
function ParamPlane({ r }: { r: Result }) {
  const names = Object.keys(r.space).filter((n) => r.trials.some((t) => typeof t.params[n] === "number"));
  if (names.length < 2 || (r.method === "grid" && Object.keys(r.space).length === 2)) return null;
  const [a, b] = names;
  const pts = downSample(
    r.trials.filter((t) => typeof firstValue(t) === "number"),
    2000,
  );
  if (pts.length < 2) return null;
  const vals = pts.map((t) => firstValue(t) as number);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const xs = pts.map((t) => t.params[a] as number);
  const ys = pts.map((t) => t.params[b] as number);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 420;
  const H = 260;
  const px = (v: number) => 40 + (x1 === x0 ? 0.5 : (v - x0) / (x1 - x0)) * (W - 60);
  const py = (v: number) => H - 30 - (y1 === y0 ? 0.5 : (v - y0) / (y1 - y0)) * (H - 50);
  return (
    <figure data-testid="optimize-plane">
      <h3 className="mb-1 text-sm font-semibold">
        {r.objectives[0].metric} over {a} (x) and {b} (y), green = better
      </h3>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full max-w-md" role="img" aria-label={`trials over ${a} and ${b}`}>
        {pts.map((t, i) => {
          const u = hi === lo ? 0.5 : (vals[i] - lo) / (hi - lo);
          const good = r.objectives[0].direction === "maximize" ? u : 1 - u;
          return (
            <circle
              key={t.number}
              cx={px(xs[i])}
              cy={py(ys[i])}
              r={3}
              fill={`hsl(${Math.round(good * 120)}, 70%, 45%)`}
            />
          );
        })}
        <text x={W / 2} y={H - 8} textAnchor="middle" fontSize={11} fill="#334155">
          {a}: {fmt(x0, 2)} – {fmt(x1, 2)}
        </text>
        <text x={8} y={14} fontSize={11} fill="#334155">
          {b}: {fmt(y0, 2)} – {fmt(y1, 2)}
        </text>
      </svg>
    </figure>
  );
}

/** Empirical distribution of the objective over complete trials. */
function Edf({ r }: { r: Result }) {
  const vals = r.trials
    .map(firstValue)
    .filter((v): v is number => typeof v === "number")
    .sort((a, b) => a - b);
  if (vals.length < 2) return null;
  const rows = downSample(
    vals.map((v, i) => ({ v, p: (i + 1) / vals.length })),
    1000,
  );
  return (
    <figure data-testid="optimize-edf">
      <h3 className="mb-1 text-sm font-semibold">Empirical distribution of {r.objectives[0].metric}</h3>
      <div className="h-44 w-full max-w-xl">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--color-slate-200)" />
            <XAxis dataKey="v" type="number" tick={AXIS_TICK} domain={["auto", "auto"]} />
            <YAxis dataKey="p" type="number" tick={AXIS_TICK} width={36} domain={[0, 1]} />
            <Line dataKey="p" type="stepAfter" stroke="#2563eb" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function Heatmap({ r }: { r: Result }) {
  const names = Object.keys(r.space);
  if (r.method !== "grid" || names.length !== 2) return null;
  const [a, b] = names;
  const xs = [...new Set(r.trials.map((t) => t.params[a] as number))].sort((p, q) => p - q);
  const ys = [...new Set(r.trials.map((t) => t.params[b] as number))].sort((p, q) => p - q);
  const cell = new Map(r.trials.map((t) => [`${t.params[a]}|${t.params[b]}`, t.value ?? null]));
  const vals = r.trials.map(firstValue).filter((v): v is number => typeof v === "number");
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const color = (v: number | null | undefined) =>
    v === null || v === undefined
      ? "var(--color-slate-100)"
      : `hsl(${Math.round(((v - lo) / (hi - lo || 1)) * 120)}, 70%, 50%)`;
  return (
    <figure data-testid="optimize-heatmap">
      <h3 className="mb-1 text-sm font-semibold">
        {r.objectives[0].metric} by {a} (columns) and {b} (rows)
      </h3>
      <div className="overflow-x-auto">
        <table className="text-xs">
          <thead>
            <tr>
              <th scope="col" className="pr-1 text-right font-normal">
                {b} \ {a}
              </th>
              {xs.map((x) => (
                <th key={x} className="px-1 font-normal">
                  {x}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ys.map((y) => (
              <tr key={y}>
                <th className="pr-1 text-right font-normal">{y}</th>
                {xs.map((x) => {
                  const v = cell.get(`${x}|${y}`);
                  return (
                    <td
                      key={x}
                      title={`${a}=${x} ${b}=${y}: ${fmt(v)}`}
                      style={{ background: color(v) }}
                      className="h-5 w-8 text-center"
                    >
                      {v === undefined ? "" : fmt(v, 1)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function OptimizeResult({
  result: r,
  onSaveParams,
  loadAllTrials,
}: {
  result: Result & { trials_sampled?: { total: number; kept: number } };
  onSaveParams?: (params: Record<string, unknown>) => void;
  /** Every trial (the server sends a down-sampled set for the charts when the study is large). */
  loadAllTrials?: () => Promise<Result["trials"]>;
}) {
  const [sortKey, setSortKey] = useState<"number" | "value">("value");
  const history = useMemo(
    () =>
      downSample(
        r.trials.map((t, i) => ({ number: t.number, value: firstValue(t), best: r.best_so_far[i] ?? null })),
        2000,
      ),
    [r],
  );
  const sorted = useMemo(() => {
    const dir = r.objectives[0].direction === "maximize" ? -1 : 1;
    const rows = [...r.trials];
    if (sortKey === "value")
      rows.sort(
        (a, b) =>
          (firstValue(a) ?? (dir < 0 ? -Infinity : Infinity)) * dir -
            (firstValue(b) ?? (dir < 0 ? -Infinity : Infinity)) * dir || a.number - b.number,
      );
    else rows.sort((a, b) => a.number - b.number);
    return rows.slice(0, 200);
  }, [r, sortKey]);
  const names = Object.keys(r.trials[0]?.params ?? {});
  const obj = r.objectives[0].metric;
  const download = async () => {
    const trials = r.trials_sampled && loadAllTrials ? await loadAllTrials() : r.trials;
    const blob = new Blob([csv({ ...r, trials })], { type: "text/csv" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "trials.csv";
    a.click();
  };
  return (
    <div className="space-y-6" data-testid="optimize-result">
      {r.trials_sampled ? (
        <p className="text-xs text-slate-500" data-testid="trials-sampled">
          Charts and table show {r.trials_sampled.kept.toLocaleString("en-US")} of{" "}
          {r.trials_sampled.total.toLocaleString("en-US")} trials (every change of the best so far, the best trials and
          an even sample of the rest); the CSV holds all of them.
        </p>
      ) : null}
      <section className="rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="honest-figures">
        <p className="font-medium">{r.overfitting.sentence}</p>
        <p className="mt-1 text-slate-700">
          {r.n_trials} trials ({r.n_pruned} pruned, {r.n_failed} failed, {r.n_infeasible} infeasible), stopped by{" "}
          {r.stop_reason.replace("_", " ")}. Deflated Sharpe {pct(r.overfitting.dsr)}, probabilistic Sharpe{" "}
          {pct(r.overfitting.psr)}, PBO {pct(r.overfitting.pbo)}; expected best Sharpe of {r.overfitting.n_trials}{" "}
          unskilled trials {fmt(r.overfitting.expected_max_sharpe, 4)} per bar.
        </p>
      </section>
      {r.best && (
        <section>
          <h3 className="text-sm font-semibold">Best trial #{r.best.number}</h3>
          <p className="text-sm" data-testid="best-params">
            {Object.entries(r.best.params)
              .map(([k, v]) => `${k} = ${String(v)}`)
              .join(", ")}
          </p>
          <table className="mt-2 text-sm">
            <thead>
              <tr>
                <th scope="col" className="pr-3 text-left">
                  metric
                </th>
                <th className="px-3 text-left">
                  In sample ({r.best.in_sample.period.from} → {r.best.in_sample.period.to})
                </th>
                <th className="px-3 text-left">
                  Out of sample{" "}
                  {r.best.out_of_sample
                    ? `(${r.best.out_of_sample.period.from} → ${r.best.out_of_sample.period.to})`
                    : "(no holdout)"}
                </th>
              </tr>
            </thead>
            <tbody>
              {["sharpe", "total_return_pct", "cagr_pct", "max_drawdown_pct", "num_trades", "win_rate_pct"].map((k) => (
                <tr key={k}>
                  <td className="pr-3 text-slate-600">{k}</td>
                  <td className="px-3">{fmt(r.best!.in_sample.metrics[k])}</td>
                  <td className="px-3">{fmt(r.best!.out_of_sample?.metrics[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.best.out_of_sample && (
            <p className="mt-1 text-sm">
              Grade (out of sample only): {r.best.out_of_sample.grade.grade} (
              {r.best.out_of_sample.grade.score.toFixed(0)})
            </p>
          )}
          {onSaveParams && (
            <button
              type="button"
              className="mt-2 rounded bg-blue-600 px-3 py-1 text-sm text-white"
              onClick={() => onSaveParams(r.best!.params)}
            >
              Save these params as a new version
            </button>
          )}
        </section>
      )}
      <figure data-testid="optimize-history">
        <h3 className="mb-1 text-sm font-semibold">Optimization history: {obj} per trial and best so far</h3>
        <HistoryChart points={history} heightClass="h-64" />
      </figure>
      {Object.keys(r.importance).length > 0 && (
        <section data-testid="optimize-importance">
          <h3 className="text-sm font-semibold">Parameter importance (PED-ANOVA)</h3>
          {Object.entries(r.importance).map(([k, v]) => (
            <div key={k} className="flex items-center gap-2 text-sm">
              <span className="w-24">{k}</span>
              <span className="h-3 bg-blue-500" style={{ width: `${Math.max(1, v * 300)}px` }} />
              <span>{pct(v)}</span>
            </div>
          ))}
        </section>
      )}
      <Heatmap r={r} />
      <Slices r={r} />
      <ParallelCoordinates r={r} />
      <Edf r={r} />
      <ParamPlane r={r} />
      <Intermediate r={r} />
      <Pareto r={r} />
      {r.walk_forward && (
        <section data-testid="optimize-walk-forward">
          <h3 className="text-sm font-semibold">
            Walk-forward ({r.walk_forward.folds.length} folds, {r.walk_forward.anchored ? "anchored" : "rolling"}):
            out-of-sample Sharpe {fmt(r.walk_forward.out_of_sample.metrics.sharpe)}, efficiency{" "}
            {fmt(r.walk_forward.efficiency)}
          </h3>
          <table className="text-sm">
            <tbody>
              {r.walk_forward.folds.map((f, i) => (
                <tr key={i}>
                  <td className="pr-3">
                    {f.train.from} → {f.train.to}
                  </td>
                  <td className="pr-3">
                    {f.test.from} → {f.test.to}
                  </td>
                  <td className="pr-3">
                    {f.params
                      ? Object.entries(f.params)
                          .map(([k, v]) => `${k}=${String(v)}`)
                          .join(" ")
                      : "—"}
                  </td>
                  <td>
                    {obj} {fmt(f.metrics?.[obj])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {r.subset && (
        <section data-testid="optimize-subset">
          <h3 className="text-sm font-semibold">
            Subset first ({r.subset.symbols.length} symbols) and the whole universe
          </h3>
          <table className="text-sm">
            <tbody>
              {r.subset.subset_results.map((s, i) => (
                <tr key={s.number}>
                  <td className="pr-3">#{s.number}</td>
                  <td className="pr-3">
                    subset {obj} {fmt(s.metrics[obj])}
                  </td>
                  <td>
                    universe {obj} {fmt(r.subset!.universe_results[i]?.metrics[obj])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section>
        <div className="flex items-center gap-3">
          <h3 className="text-sm font-semibold">Trials</h3>
          <button
            type="button"
            className="text-sm underline"
            onClick={() => setSortKey(sortKey === "value" ? "number" : "value")}
          >
            sort by {sortKey === "value" ? "number" : obj}
          </button>
          <button type="button" className="text-sm underline" onClick={() => void download()} data-testid="trials-csv">
            Download CSV
          </button>
        </div>
        <table className="mt-1 text-xs" data-testid="trials-table">
          <thead>
            <tr>
              <th className="pr-2">#</th>
              <th className="pr-2">state</th>
              {names.map((n) => (
                <th key={n} className="pr-2">
                  {n}
                </th>
              ))}
              <th className="pr-2">{obj}</th>
              <th>trades</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((t: TrialJson) => (
              <tr key={t.number}>
                <td className="pr-2">{t.number}</td>
                <td className="pr-2">{t.state}</td>
                {names.map((n) => (
                  <td key={n} className="pr-2">
                    {String(t.params[n])}
                  </td>
                ))}
                <td className="pr-2">{fmt(t.value ?? t.values?.[0])}</td>
                <td>{fmt(t.metrics?.num_trades, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
