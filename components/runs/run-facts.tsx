import { formatDateTime } from "@/components/ui/format-date";
import { runDuration } from "./format";
import type { RunInputView } from "./types";

export interface RunFactsRow {
  input: RunInputView;
  priority: string;
  origin: string;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What the run was asked to do and when it ran, as a compact definition list. */
export function RunFacts({ run }: { run: RunFactsRow }) {
  const { input } = run;
  const facts = input.kind === "hydrate" ? hydrateFacts(input) : strategyFacts(input);
  facts.push(
    ["Priority", `${run.priority} · ${run.origin}`],
    ["Attempts", String(run.attempts)],
    ["Created", formatDateTime(run.createdAt)],
    ["Started", run.startedAt ? formatDateTime(run.startedAt) : "—"],
    ["Finished", run.finishedAt ? formatDateTime(run.finishedAt) : "—"],
    ["Duration", run.finishedAt ? runDuration(run, 0) : "—"],
  );
  return (
    <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3" data-testid="run-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt className="text-xs text-slate-500">{k}</dt>
          <dd className="truncate" title={v}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

type HydrateInputView = Extract<RunInputView, { kind: "hydrate" }>;

/** A hydrate run has no strategy: its provider, symbols, range and target universe. */
function hydrateFacts(input: HydrateInputView): [string, string][] {
  const h = input.hydrate;
  const symbols = h.all
    ? "all listed symbols"
    : `${(h.symbols ?? []).slice(0, 8).join(", ")}${(h.symbols?.length ?? 0) > 8 ? ` … (${h.symbols?.length})` : ""}`;
  return [
    ["Provider", h.provider],
    ["Symbols", `${symbols}${h.quick ? " (quick sample)" : ""}`],
    ["Window", `${h.from ?? "default"} → ${h.to ?? "today"}`],
    ["Universe", h.universe ?? `${h.provider}-hydrated`],
  ];
}

function strategyFacts(input: Exclude<RunInputView, { kind: "hydrate" }>): [string, string][] {
  const data =
    input.universe ??
    (input.symbols
      ? `${input.symbols.slice(0, 8).join(", ")}${input.symbols.length > 8 ? ` … (${input.symbols.length})` : ""}`
      : "—");
  return [
    ["Strategy", `${input.strategyName ?? "—"}${input.version ? ` v${input.version}` : ""}`],
    ["Data", data],
    ["Window", input.from || input.to ? `${input.from ?? "start"} → ${input.to ?? "end"}` : "whole history"],
    [
      "Parameters",
      Object.entries(input.params ?? {})
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(", ") || "defaults",
    ],
  ];
}
