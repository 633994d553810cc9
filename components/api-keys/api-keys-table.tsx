"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDate, formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useRefreshingAction } from "@/components/workspace/use-refreshing-action";
import { useWorkspace } from "@/components/workspace/workspace-context";

/** One key as the list shows it (never the secret). Dates arrive serialized from the server page. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

function keyState(k: ApiKeyRow, nowMs: number): "active" | "revoked" | "expired" {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && Date.parse(k.expiresAt) <= nowMs) return "expired";
  return "active";
}

/** The workspace's keys with their state; active keys can be revoked after a confirmation. */
export function ApiKeysTable({ keys, nowMs }: { keys: readonly ApiKeyRow[]; nowMs: number }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  if (keys.length === 0)
    return (
      <EmptyState title="No API keys yet" data-testid="api-keys-empty">
        Create one below to call the REST API from scripts.
      </EmptyState>
    );
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} testId="api-keys-error" />
      <Table data-testid="api-keys-table">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Prefix</Th>
            <Th>Scopes</Th>
            <Th>Created</Th>
            <Th>Last used</Th>
            <Th>Expires</Th>
            <Th className="text-right">State</Th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const state = keyState(k, nowMs);
            return (
              <tr key={k.id} data-testid="api-key-row" data-prefix={k.prefix} data-state={state}>
                <Td className="font-medium">{k.name}</Td>
                <Td className="font-mono text-xs" data-testid="api-key-prefix">
                  {k.prefix}
                </Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    {k.scopes.map((s) => (
                      <Badge key={s} tone={s === "admin" ? "amber" : s === "run" ? "green" : "neutral"}>
                        {s}
                      </Badge>
                    ))}
                  </span>
                </Td>
                <Td className="text-slate-500">
                  {formatDate(k.createdAt)}
                  {k.createdBy ? <span className="block text-xs">by {k.createdBy}</span> : null}
                </Td>
                <Td className="text-slate-500" data-testid="api-key-last-used">
                  {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "never"}
                </Td>
                <Td className="text-slate-500">{k.expiresAt ? formatDate(k.expiresAt) : "never"}</Td>
                <Td className="text-right">
                  {state === "active" ? (
                    <ConfirmButton
                      testId="api-key-revoke"
                      question="Revoke? Scripts using it stop at once."
                      confirmLabel="Revoke"
                      disabled={pending}
                      onConfirm={() => void run(() => revoke.mutateAsync({ workspaceId: ws.id, keyId: k.id }))}
                    >
                      Revoke
                    </ConfirmButton>
                  ) : (
                    <Badge tone={state === "revoked" ? "red" : "amber"} data-testid="api-key-state">
                      {state}
                      {state === "revoked" && k.revokedAt ? ` ${formatDate(k.revokedAt)}` : ""}
                    </Badge>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}
