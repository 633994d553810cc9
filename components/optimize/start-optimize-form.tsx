"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { StrategySelect } from "@/components/runs/strategy-select";
import { UniverseSelect, type UniverseOption } from "@/components/runs/universe-select";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { OBJECTIVE_METRICS, defaultDirection, studySchema, type StudyInput } from "@/lib/schemas/study";

/** `name=min:max[:step][:log]` per line → ranges; a line that does not parse names itself. */
function parseRanges(text: string): NonNullable<StudyInput["ranges"]> {
  const out: NonNullable<StudyInput["ranges"]> = {};
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new Error(`Range "${line}": write name=min:max or name=min:max:step.`);
    const parts = m[2].split(":").map((p) => p.trim());
    const log = parts[parts.length - 1] === "log";
    if (log) parts.pop();
    const nums = parts.map(Number);
    if (nums.length < 2 || nums.length > 3 || nums.some((x) => !Number.isFinite(x)))
      throw new Error(`Range "${line}": min, max and step must be numbers.`);
    out[m[1]] = {
      min: nums[0],
      max: nums[1],
      ...(nums[2] !== undefined ? { step: nums[2] } : {}),
      ...(log ? { log: true } : {}),
    };
  }
  return out;
}

/**
 * "Optimize parameters": a study over the strategy's declared params (ranges editable here, no
 * code change), run on the queue like any run; the result page shows the study and its honest figures.
 */
export function StartOptimizeForm({ universes }: { universes: readonly UniverseOption[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.runs.create.mutationOptions());
  const [strategyId, setStrategyId] = useState("");
  const [universe, setUniverse] = useState(universes[0]?.name ?? "");
  const [method, setMethod] = useState<"grid" | "random" | "tpe">("tpe");
  const [ranges, setRanges] = useState("");
  const [constraints, setConstraints] = useState("");
  const [objective, setObjective] = useState("sharpe");
  const [trials, setTrials] = useState("50");
  const [seed, setSeed] = useState("0");
  const [holdout, setHoldout] = useState("0.3");
  const [folds, setFolds] = useState("0");
  const [pruner, setPruner] = useState<"none" | "median" | "asha">("none");
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const f = Number(folds);
      const input: StudyInput = {
        method,
        ranges: parseRanges(ranges),
        constraints: constraints
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean),
        objectives: [
          { metric: objective as (typeof OBJECTIVE_METRICS)[number], direction: defaultDirection(objective) },
        ],
        ...(method !== "grid" ? { trials: Number(trials) } : {}),
        seed: Number(seed),
        holdout: Number(holdout),
        pruner,
        ...(f > 0 ? { walk_forward: { folds: f, anchored: false } } : {}),
      };
      const parsed = studySchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${issue.path.join(".") || "study"}: ${issue.message}`);
      }
      const { runId } = await create.mutateAsync({
        workspaceId: ws.id,
        run: { kind: "optimize", strategyId, universe, params: {}, priority: "interactive", study: parsed.data },
      });
      setStarted(runId);
      await queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="start-optimize-form">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-4">
        <Field label="Strategy" htmlFor="opt-strategy">
          <StrategySelect id="opt-strategy" value={strategyId} onChange={setStrategyId} testId="optimize-strategy" />
        </Field>
        <Field label="Universe" htmlFor="opt-universe">
          <UniverseSelect
            id="opt-universe"
            universes={universes}
            value={universe}
            onChange={setUniverse}
            testId="optimize-universe"
          />
        </Field>
        <Field label="Method" htmlFor="opt-method">
          <Select
            id="opt-method"
            value={method}
            onChange={(e) => setMethod(e.target.value as typeof method)}
            data-testid="optimize-method"
            options={[
              { value: "tpe", label: "TPE (Bayesian)" },
              { value: "grid", label: "Grid" },
              { value: "random", label: "Random" },
            ]}
          />
        </Field>
        <Field label="Objective" htmlFor="opt-objective">
          <Select
            id="opt-objective"
            value={objective}
            onChange={(e) => setObjective(e.target.value)}
            data-testid="optimize-objective"
            options={OBJECTIVE_METRICS.map((m) => ({ value: m, label: m }))}
          />
        </Field>
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          label="Ranges"
          htmlFor="opt-ranges"
          hint="One per line: name=min:max or name=min:max:step (empty: every declared param over its declared range)"
        >
          <textarea
            id="opt-ranges"
            className="h-20 w-full rounded border border-slate-300 p-2 font-mono text-sm"
            value={ranges}
            onChange={(e) => setRanges(e.target.value)}
            data-testid="optimize-ranges"
            placeholder={"fast=5:50:5\nslow=10:200:10"}
          />
        </Field>
        <Field label="Constraints" htmlFor="opt-constraints" hint="One per line, e.g. fast < slow">
          <textarea
            id="opt-constraints"
            className="h-20 w-full rounded border border-slate-300 p-2 font-mono text-sm"
            value={constraints}
            onChange={(e) => setConstraints(e.target.value)}
            data-testid="optimize-constraints"
          />
        </Field>
      </div>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        <Field label="Trials" htmlFor="opt-trials" hint={method === "grid" ? "Grid: every combination" : undefined}>
          <Input
            id="opt-trials"
            type="number"
            min={1}
            value={trials}
            disabled={method === "grid"}
            onChange={(e) => setTrials(e.target.value)}
            data-testid="optimize-trials"
          />
        </Field>
        <Field label="Seed" htmlFor="opt-seed">
          <Input id="opt-seed" type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </Field>
        <Field label="Holdout" htmlFor="opt-holdout" hint="Share kept out of sample">
          <Input
            id="opt-holdout"
            type="number"
            step={0.05}
            min={0}
            max={0.9}
            value={holdout}
            onChange={(e) => setHoldout(e.target.value)}
          />
        </Field>
        <Field label="Walk-forward folds" htmlFor="opt-folds" hint="0 = none">
          <Input
            id="opt-folds"
            type="number"
            min={0}
            max={20}
            value={folds}
            onChange={(e) => setFolds(e.target.value)}
          />
        </Field>
        <Field label="Pruner" htmlFor="opt-pruner">
          <Select
            id="opt-pruner"
            value={pruner}
            onChange={(e) => setPruner(e.target.value as typeof pruner)}
            options={[
              { value: "none", label: "None" },
              { value: "median", label: "Median" },
              { value: "asha", label: "ASHA" },
            ]}
          />
        </Field>
      </div>
      <FormError message={error} />
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={!strategyId || !universe || create.isPending} data-testid="start-optimize">
          {create.isPending ? "Starting…" : "Start optimization"}
        </Button>
        {started ? (
          <Link
            href={`/w/${ws.slug}/runs/${started}`}
            className="text-sm text-sky-700 hover:underline"
            data-testid="optimize-started-link"
            data-run-id={started}
          >
            Study started — open it
          </Link>
        ) : null}
      </div>
    </form>
  );
}
