"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import type { UniverseOption } from "@/components/runs/universe-select";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { CreateScreenForm } from "./create-screen-form";
import { ScreenCard } from "./screen-card";

/** The screens page body: create form (roles that may run) and the saved screens with their history. */
export function ScreensView({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const list = useQuery(trpc.screens.list.queryOptions({ workspaceId: ws.id }));
  const strategies = useQuery(trpc.strategies.list.queryOptions({ workspaceId: ws.id, includeArchived: true }));
  const names = new Map((strategies.data ?? []).map((s) => [s.id, s.name]));
  return (
    <div className="flex flex-col gap-6">
      {ws.can("runs.create") ? (
        <Card
          title="New screen"
          description="Ranks every symbol by the strategy's signal and score on its latest bar. With a schedule it also runs on its own (cron, UTC)."
        >
          <CreateScreenForm universes={universes} />
        </Card>
      ) : null}
      <FormError message={list.error?.message} />
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading screens…</p>
      ) : (list.data ?? []).length === 0 ? (
        <EmptyState title="No saved screens" data-testid="screens-empty">
          {ws.can("runs.create") ? "Save one above, then run it." : "Nobody has saved a screen in this workspace yet."}
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4" data-testid="screens-list">
          {(list.data ?? []).map((s) => (
            <ScreenCard key={s.id} screen={s} strategyName={names.get(s.strategyId) ?? "strategy"} />
          ))}
        </div>
      )}
    </div>
  );
}
