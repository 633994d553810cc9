/**
 * The lifecycle board (rendered on the server, plain data in): strategies as cards by state,
 * the state distribution, each standing evolution's fitness trend, and the decision log.
 */
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { STRATEGY_STATES, type StrategyState } from "@/lib/lifecycle/strategy";
import { EvolutionActions, KillSwitchButton, StrategyLifecycleActions } from "./lifecycle-actions";

export interface BoardStrategy {
  id: string;
  name: string;
  state: StrategyState;
  fitness: number | null;
  disabledReason: string | null;
  stateChangedAt: string | null;
  shadowDays: number | null;
  /** Forward test: paper return vs what the backtest predicted for as many bars, and its drawdown. */
  forward: {
    returnPct: number | null;
    expectedReturnPct: number | null;
    maxDrawdownPct: number | null;
    bars: number;
  } | null;
}
export interface BoardDecision {
  id: string;
  at: string;
  strategyName: string | null;
  event: string;
  from: string | null;
  to: string | null;
  reason: string;
  actor: string | null;
  inputs: Record<string, unknown>;
}
export interface BoardEvolution {
  id: string;
  name: string;
  paused: boolean;
  everyHours: number;
  nextAt: string;
  lastError: string | null;
  skippedReason: string | null;
  skippedAt: string | null;
  history: {
    n: number;
    top_fitness: number;
    mean_fitness: number;
    promoted: string[];
    n_evaluated: number;
    n_duplicates: number;
  }[];
}

const f = (x: number | null | undefined, d = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);

/** Top fitness per generation as an inline SVG line on a 0–100 scale. */
function Trend({ values }: { values: number[] }) {
  if (values.length === 0) return <span className="text-xs text-slate-500">no generation yet</span>;
  const w = 160;
  const h = 40;
  const pts = values.map(
    (v, i) =>
      `${values.length === 1 ? w / 2 : (i / (values.length - 1)) * w},${h - (Math.max(0, Math.min(100, v)) / 100) * h}`,
  );
  return (
    <svg
      width={w}
      height={h}
      role="img"
      aria-label={`top fitness by generation: ${values.map((v) => v.toFixed(1)).join(", ")}`}
      className="rounded bg-slate-50"
    >
      <polyline
        points={pts.join(" ")}
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        className="text-emerald-600"
      />
    </svg>
  );
}

export function LifecycleBoard(props: {
  workspaceId: string;
  slug: string;
  strategies: BoardStrategy[];
  decisions: BoardDecision[];
  evolutions: BoardEvolution[];
  killSwitch: boolean;
  canApprove: boolean;
}) {
  const byState = Object.fromEntries(
    STRATEGY_STATES.map((s) => [s, props.strategies.filter((x) => x.state === s)]),
  ) as Record<StrategyState, BoardStrategy[]>;
  return (
    <div className="flex flex-col gap-6" data-testid="lifecycle-board">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <p className="text-sm text-slate-700" data-testid="state-distribution">
          {STRATEGY_STATES.map((s) => `${s} ${byState[s].length}`).join(" · ")}
        </p>
        {props.canApprove && <KillSwitchButton workspaceId={props.workspaceId} on={props.killSwitch} />}
      </div>
      <div className="grid gap-3 md:grid-cols-4">
        {STRATEGY_STATES.map((state) => (
          <section
            key={state}
            className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-slate-50 p-2"
            data-testid={`column-${state}`}
            aria-label={`${state} strategies`}
          >
            <h2 className="text-sm font-semibold">
              {state} <span className="text-slate-500">({byState[state].length})</span>
            </h2>
            {byState[state].map((s) => (
              <article
                key={s.id}
                className="rounded border border-slate-200 bg-white p-2 text-sm"
                data-testid="lifecycle-card"
                data-state={s.state}
              >
                <Link className="font-medium underline" href={`/w/${props.slug}/strategies/${s.id}`}>
                  {s.name}
                </Link>
                <p className="text-xs text-slate-600">
                  fitness {f(s.fitness)}
                  {s.state === "SHADOW" && s.shadowDays !== null ? ` · ${f(s.shadowDays)} days of new bars` : ""}
                </p>
                {s.forward && (
                  <p className="text-xs text-slate-600" data-testid="forward-vs-expected">
                    forward {s.forward.bars} bars: {f(s.forward.returnPct, 2)} % vs expected{" "}
                    {f(s.forward.expectedReturnPct, 2)} %, drawdown {f(s.forward.maxDrawdownPct, 1)} %
                  </p>
                )}
                {s.disabledReason && <p className="text-xs text-rose-700">{s.disabledReason}</p>}
                <StrategyLifecycleActions workspaceId={props.workspaceId} strategyId={s.id} state={s.state} />
              </article>
            ))}
          </section>
        ))}
      </div>
      <Card
        title="Evolutions"
        description="Each breeds one generation when due (pg-boss schedule); top fitness by generation."
      >
        {props.evolutions.length === 0 ? (
          <p className="text-sm text-slate-600">No standing evolution. Start one with an evolve run or the API.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Every</Th>
                <Th>Next</Th>
                <Th>Generations</Th>
                <Th>Top fitness trend</Th>
                <Th>Last</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              {props.evolutions.map((e) => {
                const last = e.history[e.history.length - 1];
                return (
                  <tr key={e.id} data-testid="evolution-row">
                    <Td>{e.name}</Td>
                    <Td>{e.everyHours} h</Td>
                    <Td>{e.paused ? "paused" : e.nextAt.slice(0, 16).replace("T", " ")}</Td>
                    <Td>{e.history.length}</Td>
                    <Td>
                      <Trend values={e.history.map((h) => h.top_fitness)} />
                    </Td>
                    <Td>
                      {last
                        ? `top ${f(last.top_fitness)}, mean ${f(last.mean_fitness)}, ${last.promoted.length} promoted, ${last.n_evaluated} evaluated, ${last.n_duplicates} duplicates`
                        : "—"}
                      {e.lastError && <span className="block text-xs text-rose-700">{e.lastError}</span>}
                      {e.skippedReason && (
                        <span className="block text-xs text-amber-700" data-testid="evolution-skipped">
                          {e.skippedAt ? `${e.skippedAt.slice(0, 16).replace("T", " ")}: ` : ""}
                          {e.skippedReason}
                        </span>
                      )}
                    </Td>
                    <Td>
                      <EvolutionActions workspaceId={props.workspaceId} evolutionId={e.id} paused={e.paused} />
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </Card>
      <Card title="Decision log" description="Every lifecycle decision with its inputs.">
        <Table data-testid="decision-log">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Strategy</Th>
              <Th>Decision</Th>
              <Th>By</Th>
              <Th>Reason and inputs</Th>
            </tr>
          </thead>
          <tbody>
            {props.decisions.map((d) => (
              <tr key={d.id}>
                <Td>{d.at.slice(0, 16).replace("T", " ")}</Td>
                <Td>{d.strategyName ?? "workspace"}</Td>
                <Td>{d.from && d.to ? `${d.from} → ${d.to}` : d.event}</Td>
                <Td>{d.actor ?? "—"}</Td>
                <Td>
                  {d.reason}
                  <code className="block break-all text-xs text-slate-500">{JSON.stringify(d.inputs)}</code>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
