"use client";
/**
 * Backtest runs from the Lab through the jobs layer: `runs.create`, then `runs.watch` until the
 * run finishes; the final snapshot carries the BacktestResult.
 */
import { useCallback, useRef, useState } from "react";
import { useTRPCClient } from "@/components/providers/trpc-provider";
import type { BacktestResult, ParamValues } from "./types";

export interface RunState {
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
  const [state, setState] = useState<RunState>({ status: "idle", stage: null, percent: 0, error: null, result: null });
  const sub = useRef<{ unsubscribe(): void } | null>(null);

  const start = useCallback(
    async (req: RunRequest) => {
      sub.current?.unsubscribe();
      setState({ status: "queued", stage: "submitting", percent: 0, error: null, result: null });
      let runId: string;
      try {
        ({ runId } = await client.runs.create.mutate({
          workspaceId: req.workspaceId,
          run: { kind: "backtest", strategyId: req.strategyId, version: req.version, universe: req.universe, from: req.from || undefined, to: req.to || undefined, params: req.params, priority: "interactive" },
        }));
      } catch (err) {
        setState({ status: "failed", stage: null, percent: 0, error: err instanceof Error ? err.message : String(err), result: null });
        return;
      }
      sub.current = client.runs.watch.subscribe(
        { workspaceId: req.workspaceId, runId },
        {
          onData: (snap) => {
            const done = snap.status === "succeeded" || snap.status === "failed" || snap.status === "cancelled";
            setState({
              status: snap.status,
              stage: snap.progress.stage,
              percent: snap.progress.percent,
              error: snap.error,
              result: done && snap.result ? (snap.result as unknown as BacktestResult) : null,
            });
          },
          onError: (err) => setState((s) => ({ ...s, status: "failed", error: err.message })),
        },
      );
    },
    [client],
  );

  const cancel = useCallback(() => {
    sub.current?.unsubscribe();
    setState((s) => ({ ...s, status: "cancelled", stage: null }));
  }, []);

  return { state, start, cancel };
}
