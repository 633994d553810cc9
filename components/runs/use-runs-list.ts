"use client";
/** `runs.list` for the current workspace, polled while any listed run is still queued or running. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { RunsFilter } from "./runs-filters";
import { isActive } from "./types";

const POLL_MS = 1500;

export function useRunsList(filter: RunsFilter & { screenId?: string; before?: string; limit?: number }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  return useQuery(
    trpc.runs.list.queryOptions(
      {
        workspaceId: ws.id,
        kind: filter.kind,
        status: filter.status,
        screenId: filter.screenId,
        before: filter.before,
        limit: filter.limit ?? 25,
      },
      { refetchInterval: (q) => (q.state.data?.rows.some((r) => isActive(r.status)) ? POLL_MS : false) },
    ),
  );
}
