"use client";
/**
 * One run, live: `runs.get` for the full row, `runs.watch` while it is queued or running. When the
 * watch reports a terminal status the row is fetched again (result, finish time). A slow poll of
 * `runs.get` backs the subscription up should the stream drop.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { isActive } from "./types";

const BACKUP_POLL_MS = 5000;

export function useRunWatch(runId: string) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { workspaceId: ws.id, runId };
  const get = useQuery(
    trpc.runs.get.queryOptions(input, {
      refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? BACKUP_POLL_MS : false),
    }),
  );
  const active = Boolean(get.data && isActive(get.data.status));
  const sub = useSubscription(trpc.runs.watch.subscriptionOptions(input, { enabled: active }));
  const snap = sub.data;
  const snapDone = Boolean(snap && !isActive(snap.status));

  useEffect(() => {
    if (snapDone)
      void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ workspaceId: ws.id, runId }) });
  }, [snapDone, queryClient, trpc, ws.id, runId]);

  const run = get.data;
  // While live, the snapshot is newer than the row; once the row is terminal it is authoritative.
  const live = run && snap && isActive(run.status) ? snap : null;
  return {
    run,
    status: live?.status ?? run?.status,
    progress: live?.progress ?? run?.progress,
    error: live?.error ?? run?.error ?? null,
    loadError: get.error?.message ?? null,
    streamError: sub.error?.message ?? null,
  };
}
