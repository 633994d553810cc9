"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { providerLabel, type ProviderName } from "./types";

/** The workspace's stored provider keys (hints only) with remove; admins only. */
export function ProviderKeysTable() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.providers.list.queryOptions({ workspaceId: ws.id }));
  const remove = useMutation(trpc.providers.remove.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function onRemove(provider: ProviderName) {
    setError(null);
    try {
      await remove.mutateAsync({ workspaceId: ws.id, provider });
      await queryClient.invalidateQueries({ queryKey: trpc.providers.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (keys.isPending) return <p className="text-sm text-slate-500">Loading keys…</p>;
  if (keys.error) return <FormError message={errorMessage(keys.error)} testId="ai-keys-error" />;
  if (keys.data.length === 0) {
    return (
      <p className="text-sm text-slate-500" data-testid="ai-keys-empty">
        No workspace keys stored; models come from the server environment (or the offline generator).
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Table data-testid="ai-keys">
        <thead>
          <tr>
            <Th>Provider</Th>
            <Th>Key</Th>
            <Th>Endpoint and models</Th>
            <Th>Updated</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {keys.data.map((k) => (
            <tr key={k.provider} data-testid="ai-key-row" data-provider={k.provider}>
              <Td>{providerLabel(k.provider)}</Td>
              <Td className="font-mono text-xs" data-testid="ai-key-hint">
                {k.keyHint ?? "no key"}
              </Td>
              <Td className="text-xs">
                {k.baseUrl ? <div className="font-mono">{k.baseUrl}</div> : null}
                {k.models.length > 0 ? k.models.join(", ") : <span className="text-slate-500">usual models</span>}
              </Td>
              <Td className="text-xs text-slate-500">{formatDateTime(k.updatedAt)}</Td>
              <Td className="text-right">
                <ConfirmButton
                  testId={`ai-key-remove-${k.provider}`}
                  question={`Remove the ${providerLabel(k.provider)} key?`}
                  confirmLabel="Remove"
                  disabled={remove.isPending}
                  onConfirm={() => onRemove(k.provider)}
                >
                  Remove
                </ConfirmButton>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <FormError message={error} testId="ai-key-remove-error" />
    </div>
  );
}
