"use client";
/** The workspace's optimization grid limit (admins set it; others see it). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "@/components/workspace/workspace-context";

export function GridLimitForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const allowed = ws.can("settings.manage");
  const current = useQuery(trpc.workspaces.optimizeSettings.queryOptions({ workspaceId: ws.id }));
  const [value, setValue] = useState("");
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) setValue(String(current.data.gridLimit));
  }, [current.data]);
  const save = useMutation(
    trpc.workspaces.setOptimizeSettings.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({
          queryKey: trpc.workspaces.optimizeSettings.queryKey({ workspaceId: ws.id }),
        });
      },
    }),
  );
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate({ workspaceId: ws.id, gridLimit: value.trim() === "" ? null : Number(value) });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="grid-limit-form">
      <Field
        label="Most grid points per optimization study"
        htmlFor="grid-limit"
        hint={
          allowed
            ? "A grid study with more combinations is refused before it starts. Empty = the default, 100,000."
            : "Only admins can change it."
        }
      >
        <Input
          id="grid-limit"
          type="number"
          min={1}
          value={value}
          disabled={!allowed}
          onChange={(e) => setValue(e.target.value)}
          data-testid="grid-limit"
        />
      </Field>
      <FormError message={save.error?.message ?? null} testId="grid-limit-error" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={!allowed || save.isPending} data-testid="grid-limit-submit">
          Save limit
        </Button>
        {saved ? <span className="text-sm text-emerald-700">Saved.</span> : null}
      </div>
    </form>
  );
}
