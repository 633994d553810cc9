"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { FormError } from "@/components/ui/form-error";
import { Table, Td, Th } from "@/components/ui/table";
import { settled } from "@/components/runs/format";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { PRIORITY_TONE } from "./priority";
import { ruleFields, ruleWhat, type AlertRuleRow } from "./rule-text";

/** The workspace's alert rules; writers may pause, resume and delete them. */
export function AlertRulesTable({ strategyNames }: { strategyNames: ReadonlyMap<string, string> }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.queryOptions({ workspaceId: ws.id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.pathKey() });
  const update = useMutation(trpc.alerts.updateRule.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.alerts.deleteRule.mutationOptions({ onSuccess: refresh }));
  const canWrite = ws.can("alerts.write");

  if (rules.error) return <FormError message={rules.error.message} />;
  if (rules.isPending) return <p className="text-sm text-slate-500">Loading rules…</p>;
  if (rules.data.length === 0) return <EmptyState title="No alert rules yet" data-testid="rules-empty" />;
  const toggle = (r: AlertRuleRow) =>
    update.mutate({ workspaceId: ws.id, ruleId: r.id, rule: { ...ruleFields(r), enabled: !r.enabled } });
  return (
    <div className="flex flex-col gap-3">
      <FormError message={update.error?.message ?? remove.error?.message} />
      <Table data-testid="rules-table">
        <thead>
          <tr>
            <Th>Rule</Th>
            <Th>Fires on</Th>
            <Th>Watches</Th>
            <Th>When</Th>
            <Th>Cooldown</Th>
            <Th>Priority</Th>
            <Th>Last evaluated</Th>
            {canWrite ? <Th /> : null}
          </tr>
        </thead>
        <tbody>
          {rules.data.map((r) => (
            <tr key={r.id} data-testid="rule-row" data-rule-id={r.id} data-enabled={r.enabled}>
              <Td className="font-medium">
                {r.name}
                {!r.enabled ? <Badge className="ml-2">paused</Badge> : null}
              </Td>
              <Td className="text-xs">{ruleWhat(r, strategyNames)}</Td>
              <Td className="max-w-48 truncate text-xs" title={r.universe ?? r.symbols.join(", ")}>
                {r.universe ?? r.symbols.join(", ")}
              </Td>
              <Td className="text-xs">{r.trigger === "bar" ? "each new bar" : `cron ${r.schedule ?? "?"}`}</Td>
              <Td className="text-xs tabular-nums">{Math.round(r.cooldownSeconds / 60)} min</Td>
              <Td>
                <Badge tone={PRIORITY_TONE[r.priority]}>{r.priority}</Badge>
              </Td>
              <Td className="whitespace-nowrap text-xs text-slate-500">
                {r.lastEvaluatedAt ? formatDateTime(r.lastEvaluatedAt) : "never"}
              </Td>
              {canWrite ? (
                <Td className="whitespace-nowrap">
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => toggle(r)}
                      disabled={update.isPending}
                      data-testid="rule-toggle"
                    >
                      {r.enabled ? "Pause" : "Resume"}
                    </Button>
                    <ConfirmButton
                      testId="rule-delete"
                      question="Delete this rule and its alerts?"
                      confirmLabel="Delete"
                      onConfirm={() => remove.mutateAsync({ workspaceId: ws.id, ruleId: r.id }).then(settled, settled)}
                    >
                      Delete
                    </ConfirmButton>
                  </div>
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
