"use client";
/** Buttons of the lifecycle board: a strategy's allowed events, the kill switch, an evolution's pause / breed now. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/components/ui/form-error";
import { allowedEvents, type StrategyEvent, type StrategyState } from "@/lib/lifecycle/strategy";

const LABEL: Record<StrategyEvent, string> = {
  start_shadow: "Start shadow",
  promote: "Approve LIVE",
  disable: "Disable",
  reactivate: "Reactivate",
};

function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setPending(true);
    setError(null);
    try {
      await fn();
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return { error, pending, run };
}

export function StrategyLifecycleActions({
  workspaceId,
  strategyId,
  state,
}: {
  workspaceId: string;
  strategyId: string;
  state: StrategyState;
}) {
  const trpc = useTRPC();
  const transition = useMutation(trpc.strategies.transition.mutationOptions());
  const { error, pending, run } = useAction();
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap gap-1">
        {allowedEvents(state).map((event) => (
          <Button
            key={event}
            variant="secondary"
            disabled={pending}
            data-testid={`lifecycle-${event}`}
            onClick={() => run(() => transition.mutateAsync({ workspaceId, strategyId, event }))}
          >
            {LABEL[event]}
          </Button>
        ))}
      </div>
      {error && (
        <p role="alert" className="text-xs text-rose-700" data-testid="lifecycle-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function KillSwitchButton({ workspaceId, on }: { workspaceId: string; on: boolean }) {
  const trpc = useTRPC();
  const kill = useMutation(trpc.lifecycle.killSwitch.mutationOptions());
  const { error, pending, run } = useAction();
  return (
    <div className="flex flex-col gap-1">
      <Button
        variant={on ? "secondary" : "danger"}
        disabled={pending}
        data-testid="kill-switch"
        onClick={() => run(() => kill.mutateAsync({ workspaceId, on: !on }))}
      >
        {on ? "Release kill switch" : "Kill switch: disable every LIVE strategy"}
      </Button>
      {error && (
        <p role="alert" className="text-xs text-rose-700" data-testid="kill-switch-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function EvolutionActions({
  workspaceId,
  evolutionId,
  paused,
}: {
  workspaceId: string;
  evolutionId: string;
  paused: boolean;
}) {
  const trpc = useTRPC();
  const pause = useMutation(trpc.lifecycle.pauseEvolution.mutationOptions());
  const breed = useMutation(trpc.lifecycle.runGeneration.mutationOptions());
  const { error, pending, run } = useAction();
  return (
    <div className="flex flex-wrap items-center gap-1">
      <Button
        variant="secondary"
        disabled={pending}
        data-testid="evolution-pause"
        onClick={() => run(() => pause.mutateAsync({ workspaceId, evolutionId, paused: !paused }))}
      >
        {paused ? "Resume" : "Pause"}
      </Button>
      <Button
        variant="secondary"
        disabled={pending}
        data-testid="evolution-breed"
        onClick={() => run(() => breed.mutateAsync({ workspaceId, evolutionId }))}
      >
        {pending ? "Breeding…" : "Breed a generation now"}
      </Button>
      {error && (
        <p role="alert" className="text-xs text-rose-700">
          {error}
        </p>
      )}
    </div>
  );
}
