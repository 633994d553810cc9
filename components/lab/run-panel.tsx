"use client";
/** Universe, date range and Run, with the run's live status. */
import { Button } from "@/components/ui/button";
import type { RunState } from "./use-run";
import { shortcutLabel } from "./use-shortcuts";

export interface RunPanelProps {
  universes: { name: string; description: string; symbols?: number }[];
  universe: string;
  onUniverse(v: string): void;
  from: string;
  to: string;
  onFrom(v: string): void;
  onTo(v: string): void;
  canRun: boolean;
  ready: boolean;
  run: RunState;
  onRun(): void;
}

export function RunPanel(p: RunPanelProps) {
  const busy = p.run.status === "queued" || p.run.status === "running";
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          Universe
          <select
            data-testid="universe-select"
            value={p.universe}
            onChange={(e) => p.onUniverse(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1.5"
          >
            {p.universes.map((u) => (
              <option key={u.name} value={u.name} title={u.description}>
                {u.name}
                {u.symbols !== undefined ? ` (${u.symbols} symbols)` : ""}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          From
          <input
            type="date"
            data-testid="run-from"
            value={p.from}
            onChange={(e) => p.onFrom(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          To
          <input
            type="date"
            data-testid="run-to"
            value={p.to}
            onChange={(e) => p.onTo(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <Button
          data-testid="run-button"
          onClick={p.onRun}
          disabled={!p.canRun || !p.ready || busy}
          title={p.canRun ? `Run backtest (${shortcutLabel("run")})` : "Your role cannot start runs."}
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          {busy ? "Running…" : "Run backtest"}
        </Button>
      </div>
      <div
        data-testid="run-status"
        data-status={p.run.status}
        className={`text-sm ${p.run.status === "failed" ? "text-red-700" : "text-slate-600"}`}
      >
        {p.run.status === "idle"
          ? p.ready
            ? "Ready to run."
            : "Generate or write a valid strategy first."
          : p.run.status === "failed"
            ? `Run failed: ${p.run.error ?? "unknown error"}`
            : p.run.status === "succeeded"
              ? "Run finished."
              : `${p.run.status}${p.run.stage ? ` — ${p.run.stage}` : ""} (${Math.round(p.run.percent)}%)`}
      </div>
    </div>
  );
}
