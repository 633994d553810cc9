"use client";
/**
 * Backtest runs from the Lab through the jobs layer: `runs.create`, then `runs.watch` until the
 * run finishes; the final snapshot carries the BacktestResult.
 */
import { useCallback, useRef, useState } from "react";
import { useTRPCClient } from "@/components/providers/trpc-provider";
import { tagRunResult } from "@/lib/runs/kinds";
import type { BacktestResult, ParamValues } from "./types";

/** The Lab starts backtests only; any other kind's result is not shown here. */
function backtestResultOf(result: Parameters<typeof tagRunResult>[1]): BacktestResult | null {
  const tagged = tagRunResult("backtest", result);
  return tagged?.kind === "backtest" ? tagged.result : null;
}

export interface RunState {
  /** The run shown (links to its page and can be published once it succeeded). */
  runId: string | null;
  status: "idle" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
  stage: string | null;
  percent: number;
  error: string | null;
  result: BacktestResult | null;
}

export interface RunRequest {
  workspaceId: string;
  strategyId: string;
  version: number;
  universe: string;
  from?: string;
  to?: string;
  params: ParamValues;
}

export function useRun() {
  const client = useTRPCClient();
  const [state, setState] = useState<RunState>({
    runId: null,
    status: "idle",
    stage: null,
    percent: 0,
    error: null,
    result: null,
  });
  const sub = useRef<{ unsubscribe(): void } | null>(null);

  /** Follows a run until it finishes (also shows an already finished run's result). */
  const show = useCallback(
    (workspaceId: string, runId: string) => {
      sub.current?.unsubscribe();
      setState((s) =>
        s.runId === runId ? s : { runId, status: "queued", stage: "loading", percent: 0, error: null, result: null },
      );
      sub.current = client.runs.watch.subscribe(
        { workspaceId, runId },
        {
          onData: (snap) => {
            const done = snap.status === "succeeded" || snap.status === "failed" || snap.status === "cancelled";
            setState({
              runId,
              status: snap.status,
              stage: snap.progress.stage,
              percent: snap.progress.percent,
              error: snap.error,
              result: done ? backtestResultOf(snap.result) : null,
            });
          },
          onError: (err) => setState((s) => ({ ...s, status: "failed", error: err.message })),
        },
      );
    },
    [client],
  );

  const start = useCallback(
    async (req: RunRequest): Promise<string | null> => {
      sub.current?.unsubscribe();
      setState({ runId: null, status: "queued", stage: "submitting", percent: 0, error: null, result: null });
      let runId: string;
      try {
        ({ runId } = await client.runs.create.mutate({
          workspaceId: req.workspaceId,
          run: {
            kind: "backtest",
            strategyId: req.strategyId,
            version: req.version,
            universe: req.universe,
            from: req.from || undefined,
            to: req.to || undefined,
            params: req.params,
            priority: "interactive",
          },
        }));
      } catch (err) {
        setState({
          runId: null,
          status: "failed",
          stage: null,
          percent: 0,
          error: err instanceof Error ? err.message : String(err),
          result: null,
        });
        return null;
      }
      show(req.workspaceId, runId);
      return runId;
    },
    [client, show],
  );

  const cancel = useCallback(() => {
    sub.current?.unsubscribe();
    setState((s) => ({ ...s, status: "cancelled", stage: null }));
  }, []);

  return { state, start, show, cancel };
}
