"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { LazyTemplateDiff } from "./lazy-template-diff";
import type { TemplateRow } from "./types";

/**
 * A template's saved versions, newest first. The chosen version is diffed against the default;
 * admins roll back to it or to the default (each rollback is itself a new version).
 */
export function PromptHistory({ template, editable }: { template: TemplateRow; editable: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.prompts.history.queryOptions({ workspaceId: ws.id, name: template.name }));
  const rollback = useMutation(trpc.prompts.rollback.mutationOptions());
  const [picked, setPicked] = useState<{ name: string; version: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onRollback(version: number) {
    setError(null);
    try {
      await rollback.mutateAsync({ workspaceId: ws.id, name: template.name, version });
      setPicked(null);
      await queryClient.invalidateQueries({ queryKey: trpc.prompts.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (history.isPending) return <p className="text-sm text-slate-500">Loading history…</p>;
  if (history.error) return <FormError message={errorMessage(history.error)} testId="prompt-history-error" />;
  const rows = history.data;
  if (rows.length === 0) {
    return (
      <p className="text-sm text-slate-500" data-testid="prompt-history">
        No saved versions: the default text is in use.
      </p>
    );
  }
  const chosenVersion = picked?.name === template.name ? picked.version : (rows[0]?.version ?? 0);
  const chosen = rows.find((r) => r.version === chosenVersion) ?? rows[0];
  const chosenText = chosen.text ?? template.defaultText;
  const isCurrent = chosen.version === template.version;

  return (
    <div className="flex flex-col gap-4">
      <Table data-testid="prompt-history">
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Note</Th>
            <Th>Saved</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.version}
              data-testid="prompt-history-row"
              data-version={r.version}
              className={r.version === chosen.version ? "bg-slate-50" : undefined}
            >
              <Td>
                v{r.version}
                {r.version === template.version ? (
                  <Badge tone="green" className="ml-2">
                    current
                  </Badge>
                ) : null}
                {r.text === null ? (
                  <Badge className="ml-2" title="This version restored the built-in default">
                    default
                  </Badge>
                ) : null}
              </Td>
              <Td className="text-xs">{r.note || <span className="text-slate-400">—</span>}</Td>
              <Td className="text-xs text-slate-500">{formatDateTime(r.createdAt)}</Td>
              <Td className="text-right">
                <Button
                  variant="ghost"
                  size="sm"
                  disabled={r.version === chosen.version}
                  onClick={() => setPicked({ name: template.name, version: r.version })}
                  data-testid={`prompt-history-select-${r.version}`}
                >
                  {r.version === chosen.version ? "Shown below" : "Compare"}
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600" data-testid="prompt-diff-caption">
          Default (left) against version {chosen.version}
          {chosenText === template.defaultText ? " — identical to the default" : ""} (right).
        </p>
        {editable ? (
          <div className="flex flex-wrap gap-2">
            <ConfirmButton
              testId="prompt-rollback"
              variant="primary"
              question={`Make version ${chosen.version} current again?`}
              confirmLabel="Roll back"
              disabled={isCurrent || rollback.isPending}
              onConfirm={() => onRollback(chosen.version)}
            >
              Roll back to v{chosen.version}
            </ConfirmButton>
            <ConfirmButton
              testId="prompt-rollback-default"
              question="Go back to the built-in default text?"
              confirmLabel="Use the default"
              disabled={!template.overridden || rollback.isPending}
              onConfirm={() => onRollback(0)}
            >
              Back to the default
            </ConfirmButton>
          </div>
        ) : null}
      </div>
      <FormError message={error} testId="prompt-rollback-error" />
      <LazyTemplateDiff original={template.defaultText} modified={chosenText} />
    </div>
  );
}
