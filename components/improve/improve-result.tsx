"use client";
/**
 * An improve run's result: met / not met with the unmet constraints and their gaps, the best
 * iteration's validation and holdout metrics beside the original's, the overfitting figures, and
 * the trace — every iteration's stages, diagnosis, patch (as a diff), checks, validation and decision.
 */
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LazyDiffView } from "@/components/lab/lazy-editors";
import { Table, Td, Th } from "@/components/ui/table";
import type { ImproveResult as Result, IterationJson } from "@/lib/improve/types";

const f = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);
const ROWS: Array<[string, string, number]> = [
  ["total_return_pct", "Return %", 2],
  ["sortino", "Sortino", 2],
  ["sharpe", "Sharpe", 2],
  ["num_trades", "Trades", 0],
  ["win_rate_pct", "Win rate %", 1],
  ["max_drawdown_pct", "Max DD %", 1],
];

function DiffView({ diff }: { diff: string }) {
  if (!diff) return <p className="text-xs text-zinc-500">No code change (parameters re-tuned only).</p>;
  return (
    <pre
      data-testid="improve-diff"
      className="max-h-80 overflow-auto rounded bg-zinc-950 p-2 text-xs leading-5 text-zinc-200"
    >
      {diff.split("\n").map((l, i) => (
        <div
          key={i}
          className={
            l.startsWith("+") && !l.startsWith("+++")
              ? "text-emerald-400"
              : l.startsWith("-") && !l.startsWith("---")
                ? "text-rose-400"
                : l.startsWith("@@")
                  ? "text-sky-400"
                  : ""
          }
        >
          {l || " "}
        </div>
      ))}
    </pre>
  );
}

/** One iteration of the trace. */
export function IterationCard({ it, original }: { it: IterationJson; original?: string }) {
  return (
    <Card
      data-testid={`improve-iteration-${it.n}`}
      description={it.base_version ? `from version ${it.base_version}` : undefined}
    >
      <h3 className="mb-1 flex items-center gap-2 font-medium">
        Iteration {it.n}
        <Badge tone={it.accepted ? "green" : "neutral"}>
          {it.accepted ? `accepted${it.version ? ` → v${it.version}` : ""}` : "rejected"}
        </Badge>
      </h3>
      <ol className="mb-2 flex flex-wrap gap-1 text-xs text-zinc-500" aria-label="stages">
        {it.stages.map((s) => (
          <li key={s} className="rounded border border-zinc-300 px-1 dark:border-zinc-700">
            {s}
          </li>
        ))}
      </ol>
      <p className="text-sm">
        <b>Regime:</b> {it.regime.trend}, volatility {it.regime.volatility_level}. <b>Diagnosis:</b>{" "}
        {it.diagnosis.failed_constraints.length
          ? it.diagnosis.failed_constraints.map((c) => `${c.name} ${f(c.value, 3)} < ${c.threshold}`).join("; ")
          : "no failing constraint"}
      </p>
      {it.patch && (
        <p className="text-sm">
          <b>Patch ({it.patch.model}):</b> {it.patch.summary}.{" "}
          <span className="text-zinc-500">{it.patch.rationale}</span>
        </p>
      )}
      <p className="text-sm">
        <b>Checks:</b>{" "}
        {it.checks.passed
          ? it.checks.repaired
            ? "passed after repair"
            : "passed"
          : `failed — ${it.checks.static_errors.join("; ")}`}
        {it.study && (
          <>
            {" "}
            · <b>Study:</b> {it.study.n_trials} trials
          </>
        )}
        {it.validation.metrics && (
          <>
            {" "}
            · <b>Validation:</b> return {f(it.validation.metrics.total_return_pct)} %, Sortino{" "}
            {f(it.validation.metrics.sortino)}, trades {f(it.validation.metrics.num_trades, 0)}
          </>
        )}
      </p>
      <p className="text-sm" data-testid="improve-reason">
        <b>Decision:</b> {it.reason}
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer text-sm">Diff</summary>
        {original !== undefined && it.diff ? (
          <div className="my-2" data-testid="improve-monaco-diff">
            <LazyDiffView original={original} modified={it.code} height="360px" />
          </div>
        ) : null}
        <DiffView diff={it.diff} />
      </details>
    </Card>
  );
}

/** The code an iteration started from: the accepted iteration that produced its base version, else the original. */
function baseCode(result: Result, it: IterationJson): string {
  const from = result.iterations.find((x) => x.accepted && x.n < it.n && x.version === it.base_version);
  return from ? from.code : result.baseline.code;
}

export function ImproveResult({ result }: { result: Result }) {
  const met = result.status === "met";
  return (
    <div className="space-y-4" data-testid="improve-result">
      <Card
        description={`Chosen on validation (${result.periods.validation?.from} → ${result.periods.validation?.to}); the holdout (${result.periods.holdout?.from ?? "—"} → ${result.periods.holdout?.to ?? "—"}) was seen by no iteration. ${result.overfitting.sentence}`}
      >
        <h3 className="mb-1 flex items-center gap-2 font-medium">
          <Badge tone={met ? "green" : "red"} data-testid="improve-status">
            {met ? "Thresholds met" : "Not met"}
          </Badge>
          best:{" "}
          {result.best.iteration === 0
            ? "the original version"
            : `iteration ${result.best.iteration}${result.best.version ? ` (v${result.best.version})` : ""}`}
        </h3>
        {!met && (
          <ul className="mb-2 text-sm text-rose-600" data-testid="improve-unmet">
            {result.unmet_constraints.map((c) => (
              <li key={c.name}>
                {c.name}: {f(c.value, 3)} below {c.threshold} (gap {c.gap === null ? "—" : f(c.gap, 3)})
              </li>
            ))}
          </ul>
        )}
        <Table>
          <thead>
            <tr>
              <Th />
              <Th>Original · validation</Th>
              <Th>Original · holdout</Th>
              <Th>Best · validation</Th>
              <Th>Best · holdout</Th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([k, label, d]) => (
              <tr key={k}>
                <Td>{label}</Td>
                <Td>{f(result.baseline.validation.metrics?.[k], d)}</Td>
                <Td>{f(result.baseline.holdout.metrics?.[k], d)}</Td>
                <Td>{f(result.best.validation.metrics?.[k], d)}</Td>
                <Td>{f(result.best.holdout.metrics?.[k], d)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <p className="mt-2 text-xs text-zinc-500">
          {result.overfitting.n_trials} variants evaluated · DSR {f(result.overfitting.dsr, 3)} · model {result.model}
        </p>
      </Card>
      {result.iterations.map((it) => (
        <IterationCard key={it.n} it={it} original={baseCode(result, it)} />
      ))}
    </div>
  );
}
