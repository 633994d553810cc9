"use client";
/**
 * What the generated code does, in words, beside the code: the rules understood, anything in
 * the request that was not understood (so it is not in the code), defaults that were assumed,
 * and whether the code matches those rules bar by bar on sampled data.
 */
import type { GenerationState } from "./use-generation";

export function PlanNotice({ state }: { state: GenerationState }) {
  const plan = state.plan;
  if (!plan) return null;
  const f = state.faithfulness;
  return (
    <div className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm" data-testid="plan-notice">
      {plan.notUnderstood.length > 0 ? (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900"
          data-testid="not-understood"
        >
          <p className="font-semibold">
            {plan.source === "model"
              ? "Not expressible as rules — written as free-form code and not checked:"
              : "Not understood — not in the code:"}
          </p>
          <ul className="ml-4 list-disc">
            {plan.notUnderstood.map((s, i) => (
              <li key={i}>“{s}”</li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.understood.length > 0 ? (
        <div data-testid="understood-rules">
          <p className="font-semibold text-slate-700">
            {plan.source === "model" ? "The model's plan" : "Rules the code implements"}:
          </p>
          <ul className="ml-4 list-disc text-slate-700">
            {plan.understood.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.assumptions.length > 0 ? (
        <p className="text-xs text-slate-500" data-testid="assumptions">
          Assumed: {plan.assumptions.join("; ")}.
        </p>
      ) : null}
      {f ? (
        <p
          data-testid="faithfulness"
          data-state={f.ok ? "match" : "mismatch"}
          className={f.ok ? "text-emerald-700" : "text-red-700"}
        >
          {f.message}
        </p>
      ) : null}
    </div>
  );
}
