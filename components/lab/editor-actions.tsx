"use client";
/** Validate and save hand edits: a new strategy, or a new version of the current one. */
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useWorkspace } from "@/components/workspace/workspace-context";
import type { ParamSpecJson } from "./types";
import type { useGeneration } from "./use-generation";
import { shortcutLabel, useShortcuts } from "./use-shortcuts";

export interface EditorActionsProps {
  code: string;
  saved: { strategyId: string; version: number; code: string } | null;
  universe: string;
  canWrite: boolean;
  gen: ReturnType<typeof useGeneration>;
  onSaved(s: { strategyId: string; version: number; code: string }): void;
  onParams(p: Record<string, ParamSpecJson>): void;
}

export function EditorActions({ code, saved, universe, canWrite, gen, onSaved, onParams }: EditorActionsProps) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const validate = useMutation(trpc.generation.validate.mutationOptions());
  const create = useMutation(trpc.strategies.create.mutationOptions());
  const version = useMutation(trpc.strategies.saveVersion.mutationOptions());
  const dirty = !saved || saved.code !== code;
  const busy = validate.isPending || create.isPending || version.isPending;

  async function save() {
    const v = await validate.mutateAsync({ workspaceId: ws.id, code, universe });
    gen.applyValidation(v);
    if (!v.ok) return;
    if (v.params) onParams(v.params as Record<string, ParamSpecJson>);
    if (saved) {
      const row = await version.mutateAsync({
        workspaceId: ws.id,
        strategyId: saved.strategyId,
        code,
        note: "Edited in the Lab",
      });
      onSaved({ strategyId: saved.strategyId, version: row.version, code });
    } else {
      const { strategy, version: row } = await create.mutateAsync({ workspaceId: ws.id, code });
      onSaved({ strategyId: strategy.id, version: row.version, code });
    }
  }

  const canSave = canWrite && !busy && dirty && code.trim().length > 0;
  useShortcuts({
    save: () => {
      if (!canWrite) return false;
      if (canSave) void save().catch(() => undefined);
    },
  });

  if (!canWrite) return null;
  const error = validate.error ?? create.error ?? version.error;
  return (
    <div className="flex items-center gap-2">
      {error ? <span className="text-xs text-red-700">{error.message}</span> : null}
      {saved ? (
        <span className="text-xs text-slate-500">
          v{saved.version}
          {dirty ? " · unsaved edits" : " · saved"}
        </span>
      ) : null}
      <Button
        variant="secondary"
        size="sm"
        disabled={busy || !code.trim()}
        onClick={() => validate.mutateAsync({ workspaceId: ws.id, code, universe }).then(gen.applyValidation)}
        data-testid="validate-button"
      >
        Validate
      </Button>
      <Button
        size="sm"
        disabled={busy || !dirty || !code.trim()}
        onClick={() => void save().catch(() => undefined)}
        data-testid="save-button"
        title={`${saved ? "Save version" : "Save strategy"} (${shortcutLabel("save")})`}
        aria-keyshortcuts="Control+S Meta+S"
      >
        {saved ? "Save version" : "Save strategy"}
      </Button>
    </div>
  );
}
