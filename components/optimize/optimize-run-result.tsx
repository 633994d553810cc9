"use client";
/** The optimize result view with "save these params as a new version" wired to the strategy's versions. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { OptimizeResult as Result } from "@/lib/modes/optimize";
import { withParamDefaults } from "@/lib/optimize/defaults";
import type { ParamValue } from "@/lib/optimize/space";
import { OptimizeResult } from "./optimize-result";

export function OptimizeRunResult({
  result,
  runId,
  strategyId,
  version,
}: {
  result: Result;
  runId: string;
  strategyId?: string;
  version?: number;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.strategies.saveVersion.mutationOptions());
  const [message, setMessage] = useState<string | null>(null);
  const canSave = Boolean(strategyId) && ws.can("strategies.write");
  async function onSave(params: Record<string, unknown>) {
    setMessage(null);
    try {
      const current = await queryClient.fetchQuery(
        trpc.strategies.get.queryOptions({ workspaceId: ws.id, strategyId: strategyId!, version }),
      );
      const code = withParamDefaults(current.version.code, params as Record<string, ParamValue>);
      const saved = await save.mutateAsync({
        workspaceId: ws.id,
        strategyId: strategyId!,
        code,
        note: `Optimized params from run ${runId.slice(0, 8)}`,
      });
      setMessage(`Saved as version ${saved.version} of the strategy.`);
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div>
      <OptimizeResult
        result={result}
        onSaveParams={canSave ? onSave : undefined}
        loadAllTrials={() =>
          queryClient.fetchQuery(trpc.runs.optimizeTrials.queryOptions({ workspaceId: ws.id, runId }))
        }
      />
      {message ? (
        <p className="mt-2 text-sm" data-testid="save-params-message">
          {message}
        </p>
      ) : null}
    </div>
  );
}
