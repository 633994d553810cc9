import type { WorkspaceOperations } from "@/server/ops/workspace-operations";
import { Card } from "@/components/ui/card";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const secs = (s: number) =>
  s < 90 ? `${s.toFixed(1)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;

function Figure({
  label,
  value,
  testId,
  warn = false,
}: {
  label: string;
  value: string;
  testId: string;
  warn?: boolean;
}) {
  return (
    <div className="rounded-md border border-slate-200 px-4 py-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`mt-1 text-xl font-semibold tabular-nums ${warn ? "text-red-700" : ""}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

/** The workspace's operational figures (runs, queue, strategies, deliveries, tokens, shared breakers). */
export function OperationsView({ ops }: { ops: WorkspaceOperations }) {
  const over = ops.lastHour.failedShare > ops.lastHour.budget;
  return (
    <div className="flex flex-col gap-6" data-testid="operations">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Figure
          label="Failed runs, last hour"
          value={`${pct(ops.lastHour.failedShare)} of ${ops.lastHour.finished}`}
          testId="ops-failed-share"
          warn={over}
        />
        <Figure label="Error budget" value={pct(ops.lastHour.budget)} testId="ops-error-budget" />
        <Figure
          label="Runs waiting / running"
          value={`${ops.queue.waiting} / ${ops.queue.running}`}
          testId="ops-queue"
        />
        <Figure
          label="Oldest waiting run"
          value={ops.queue.waiting ? secs(ops.queue.oldestWaitingSeconds) : "—"}
          testId="ops-oldest"
        />
        <Figure
          label="LLM tokens today"
          value={`${ops.llmTokensToday.used.toLocaleString("en-US")} / ${ops.llmTokensToday.budget.toLocaleString("en-US")}`}
          testId="ops-tokens"
        />
        {Object.entries(ops.strategiesByState).map(([state, n]) => (
          <Figure
            key={state}
            label={`Strategies ${state.toLowerCase()}`}
            value={String(n)}
            testId={`ops-strategies-${state}`}
          />
        ))}
      </div>
      <Card title="Runs in the last 24 hours" description="By kind and status; durations of succeeded runs.">
        {ops.runs24h.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="ops-runs-empty">
            No runs in the last 24 hours.
          </p>
        ) : (
          <table className="w-full text-sm" data-testid="ops-runs">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1">Kind</th>
                <th>Status</th>
                <th className="text-right">Runs</th>
              </tr>
            </thead>
            <tbody>
              {ops.runs24h.map((r) => (
                <tr key={`${r.kind}-${r.status}`} className="border-t border-slate-100">
                  <td className="py-1">{r.kind}</td>
                  <td>{r.status}</td>
                  <td className="text-right tabular-nums">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {ops.durations24h.length > 0 ? (
          <p className="mt-3 text-sm text-slate-600" data-testid="ops-durations">
            {ops.durations24h
              .map((d) => `${d.kind}: median ${secs(d.medianSeconds)}, p95 ${secs(d.p95Seconds)} (${d.count})`)
              .join(" · ")}
          </p>
        ) : null}
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Alert deliveries, last 24 hours">
          <p className="text-sm tabular-nums" data-testid="ops-deliveries">
            {`${ops.deliveries24h.delivered} delivered · ${ops.deliveries24h.failed} failed · ${ops.deliveries24h.pending} pending`}
          </p>
        </Card>
        <Card title="Outbound dependencies" description="Circuit breakers shared by every workspace on this server.">
          {ops.dependencies.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="ops-dependencies-empty">
              No model, market-data, webhook or email calls from this server process yet.
            </p>
          ) : (
            <ul className="text-sm" data-testid="ops-dependencies">
              {ops.dependencies.map((d) => (
                <li key={d.name} className="flex justify-between border-t border-slate-100 py-1">
                  <span>{d.name}</span>
                  <span className={d.state === "closed" ? "text-emerald-700" : "text-red-700"}>{d.state}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
