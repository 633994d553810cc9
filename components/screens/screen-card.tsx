"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-error";
import { settled } from "@/components/runs/format";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { ScreenHistory } from "./screen-history";

export interface ScreenCardData {
  id: string;
  name: string;
  strategyId: string;
  strategyVersion: number | null;
  universe: string | null;
  symbols: string[] | null;
  limit: number;
  schedule: string | null;
}

/** One saved screen: what it screens, its schedule, Run now / Archive, and its history. */
export function ScreenCard({ screen, strategyName }: { screen: ScreenCardData; strategyName: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.screens.pathKey() });
  const run = useMutation(trpc.screens.run.mutationOptions({ onSuccess: refresh }));
  const archive = useMutation(trpc.screens.archive.mutationOptions({ onSuccess: refresh }));
  const ref = { workspaceId: ws.id, screenId: screen.id };
  const target =
    screen.universe ??
    `${screen.symbols?.length ?? 0} symbols (${(screen.symbols ?? []).slice(0, 6).join(", ")}${(screen.symbols?.length ?? 0) > 6 ? " …" : ""})`;
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid="screen-card"
      data-screen-id={screen.id}
    >
      <header className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h3 className="text-base font-semibold" data-testid="screen-card-name">
            {screen.name}
          </h3>
          <p className="mt-1 text-sm text-slate-500">
            {strategyName}
            {screen.strategyVersion ? ` v${screen.strategyVersion}` : " (latest)"} · {target} · top {screen.limit}
          </p>
          <div className="mt-2">
            {screen.schedule ? (
              <Badge tone="blue" data-testid="screen-schedule-badge">
                cron {screen.schedule} UTC
              </Badge>
            ) : (
              <Badge>on demand</Badge>
            )}
          </div>
        </div>
        {ws.can("runs.create") ? (
          <div className="flex items-center gap-2">
            <Button size="sm" onClick={() => run.mutate(ref)} disabled={run.isPending} data-testid="screen-run-now">
              {run.isPending ? "Starting…" : "Run now"}
            </Button>
            <ConfirmButton
              testId="screen-archive"
              question="Archive this screen (its schedule stops)?"
              confirmLabel="Archive"
              onConfirm={() => archive.mutateAsync(ref).then(settled, settled)}
            >
              Archive
            </ConfirmButton>
          </div>
        ) : null}
      </header>
      <FormError message={run.error?.message ?? archive.error?.message} />
      <ScreenHistory screenId={screen.id} />
    </section>
  );
}
