"use client";
/** What the pipeline is doing: stage, model, market regime, validation outcome, tokens, repair log. */
import type { GenerationState } from "./use-generation";

export function GenerationStatus({ state }: { state: GenerationState }) {
  const v = state.validation;
  const validation = state.running && !v ? "pending" : v ? (v.ok ? "passed" : "failed") : "idle";
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="generation-status" data-stage={state.stage ?? "idle"}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-medium">{state.message ?? "Ready."}</span>
        {state.model ? (
          <span className="text-slate-500">{state.model.offline ? "Offline rule generator" : state.model.label}</span>
        ) : null}
        {state.usage ? (
          <span className="text-slate-500" data-testid="token-usage">
            {state.usage.inputTokens} in / {state.usage.outputTokens} out tokens
            {state.model?.offline ? " (estimated)" : ""}
          </span>
        ) : null}
      </div>
      {state.context ? (
        <div className="rounded-md bg-slate-50 p-2 text-xs text-slate-600" data-testid="market-context">
          <span className="font-mono font-semibold">{state.context.regime?.regime ?? "no regime"}</span> ·{" "}
          {state.context.universe}: {state.context.summary.replace(/^\S+ /, "")}
          {state.context.narrative ? <p className="mt-1">{state.context.narrative.narrative}</p> : null}
        </div>
      ) : null}
      <div
        data-testid="validation-status"
        data-state={validation}
        className={
          validation === "passed" ? "text-emerald-700" : validation === "failed" ? "text-red-700" : "text-slate-500"
        }
      >
        {validation === "passed"
          ? `Validation passed${v?.dryRun ? ` — dry run on ${v.dryRun.symbols.join(", ")}: ${v.dryRun.entries} entries` : ""}.`
          : validation === "failed"
            ? `Validation failed: ${v?.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)).join("; ")}`
            : validation === "pending"
              ? "Validation pending…"
              : "Not validated yet."}
        {v?.warnings.length ? <span className="ml-2 text-amber-700">{v.warnings.join("; ")}</span> : null}
      </div>
      {state.error && state.error.code !== "ABORTED" ? (
        <p role="alert" className="text-red-700" data-testid="generation-error">
          {state.error.message}
          {state.error.retryable ? " You can try again." : ""}
        </p>
      ) : null}
      {state.log.length > 1 ? (
        <details className="text-xs text-slate-500">
          <summary>Steps ({state.log.length})</summary>
          <ol className="ml-4 list-decimal">
            {state.log.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
