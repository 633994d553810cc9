"use client";
/** The request box with example chips, the model picker and Generate / Stop. */
import { Button } from "@/components/ui/button";
import type { ModelInfo } from "./types";
import { shortcutLabel } from "./use-shortcuts";

export const EXAMPLE_REQUESTS = [
  "Buy when the 50-day moving average crosses above the 200-day and sell on the reverse cross",
  "Find stocks that gap up by more than 3% with high volume",
  "P/E below 15 and debt/equity under 0.5, ranked by lowest P/E",
  "Donchian channel breakout on the 55-day high with a 2 ATR trailing stop",
  "RSI below 30 and volume spike above 2x average",
];

export interface PromptPanelProps {
  request: string;
  onRequest(value: string): void;
  models: ModelInfo[];
  model: string;
  onModel(id: string): void;
  running: boolean;
  canGenerate: boolean;
  onGenerate(): void;
  onStop(): void;
}

export function PromptPanel(p: PromptPanelProps) {
  const selected = p.models.find((m) => m.id === p.model);
  return (
    <div className="flex flex-col gap-3">
      <label htmlFor="lab-prompt" className="text-sm font-medium">
        Describe a strategy or a theme
      </label>
      <textarea
        id="lab-prompt"
        data-testid="prompt-input"
        value={p.request}
        onChange={(e) => p.onRequest(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && p.canGenerate && !p.running && p.request.trim())
            p.onGenerate();
        }}
        rows={3}
        disabled={!p.canGenerate}
        placeholder={
          p.canGenerate
            ? "e.g. RSI below 30 and volume spike above 2x average"
            : "Viewers can read strategies but not generate them."
        }
        className="w-full rounded-md border border-slate-300 p-3 text-sm focus:border-slate-500 focus:outline-none disabled:bg-slate-50"
      />
      <div className="flex flex-wrap gap-2" aria-label="Examples">
        {EXAMPLE_REQUESTS.map((ex) => (
          <button
            key={ex}
            type="button"
            disabled={!p.canGenerate || p.running}
            onClick={() => p.onRequest(ex)}
            data-testid="example-chip"
            className="rounded-full border border-slate-300 px-3 py-1 text-xs text-slate-700 hover:bg-slate-100 disabled:opacity-50"
          >
            {ex}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm">
          Model
          <select
            data-testid="model-picker"
            value={p.model}
            onChange={(e) => p.onModel(e.target.value)}
            disabled={p.running}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {p.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {p.running ? (
          <Button variant="danger" data-testid="stop-button" onClick={p.onStop}>
            Stop
          </Button>
        ) : (
          <Button
            data-testid="generate-button"
            onClick={p.onGenerate}
            disabled={!p.canGenerate || !p.request.trim()}
            title={`Generate (${shortcutLabel("generate")}; Ctrl/⌘+Enter in the request box)`}
            aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter"
          >
            Generate
          </Button>
        )}
      </div>
      {selected?.offline ? (
        <p className="text-xs text-amber-700" data-testid="offline-notice">
          Offline rule generator: it reads your request into trading rules (indicators, comparisons, stops, targets),
          writes code from them and lists anything it did not understand. It is not an AI model; configure a provider
          for free-form requests.
        </p>
      ) : null}
    </div>
  );
}
