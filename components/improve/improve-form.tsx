"use client";
/**
 * "Improve": start the improvement loop on one strategy version. Thresholds default to the seed's
 * (return ≥ 0.5, Sortino ≥ 2, inclusive); the holdout (default 20 %, at the end) is never shown to
 * an iteration. Starts an `improve` run and opens its page, where the trace streams in.
 */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { UniverseSelect, type UniverseOption } from "@/components/runs/universe-select";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { improveSchema } from "@/lib/schemas/improve";

const FIELDS = [
  ["iterations", "Iterations", "5", "at most 20"],
  ["min_return", "Min return", "0.5", "fraction, inclusive (0.5 = +50 %)"],
  ["min_sortino", "Min Sortino", "2", "inclusive"],
  ["min_trades", "Min trades", "0", "0 = no constraint"],
  ["min_win_rate", "Min win rate", "0", "fraction, 0 = no constraint"],
  ["improvement_threshold", "Improvement threshold", "0.1", "relative gain in validation Sortino to accept"],
  ["holdout", "Holdout", "0.2", "share at the end, seen by no iteration"],
  ["trials_per_iteration", "Backtests per iteration", "8", "parameter study budget"],
  ["seed", "Seed", "0", undefined],
] as const;

export function ImproveForm({
  strategyId,
  version,
  universes,
}: {
  strategyId: string;
  version: number;
  universes: readonly UniverseOption[];
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.runs.create.mutationOptions());
  const [universe, setUniverse] = useState(universes[0]?.name ?? "");
  const [model, setModel] = useState("offline:template");
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(FIELDS.map(([k, , d]) => [k, d])));
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = improveSchema.safeParse({
      ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)])),
      model,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(`${issue.path.join(".")}: ${issue.message}`);
      return;
    }
    try {
      const { runId } = await create.mutateAsync({
        workspaceId: ws.id,
        run: {
          kind: "improve",
          strategyId,
          version,
          universe,
          params: {},
          priority: "interactive",
          improve: parsed.data,
        },
      });
      router.push(`/w/${ws.slug}/runs/${runId}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="improve-form">
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Field label="Data" htmlFor="improve-universe">
          <UniverseSelect
            id="improve-universe"
            universes={universes}
            value={universe}
            onChange={setUniverse}
            testId="improve-universe"
          />
        </Field>
        <Field label="Model" htmlFor="improve-model" hint="offline:template works without a key">
          <Input
            id="improve-model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            data-testid="improve-model"
          />
        </Field>
        {FIELDS.map(([k, label, , hint]) => (
          <Field key={k} label={label} htmlFor={`improve-${k}`} hint={hint}>
            <Input
              id={`improve-${k}`}
              type="number"
              step="any"
              value={values[k]}
              onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
              data-testid={`improve-${k}`}
            />
          </Field>
        ))}
      </div>
      <FormError message={error} />
      <div>
        <Button type="submit" disabled={!universe || create.isPending} data-testid="start-improve">
          {create.isPending ? "Starting…" : `Improve version ${version}`}
        </Button>
      </div>
    </form>
  );
}

/** The Improve button: opens the form under it. */
export function ImproveButton(props: { strategyId: string; version: number; universes: readonly UniverseOption[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-col gap-3">
      <div>
        <Button size="sm" variant="secondary" onClick={() => setOpen((o) => !o)} data-testid="improve-button">
          {open ? "Close" : "Improve…"}
        </Button>
      </div>
      {open ? <ImproveForm {...props} /> : null}
    </div>
  );
}
