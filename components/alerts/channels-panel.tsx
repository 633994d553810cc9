"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { formatDateTime } from "@/components/ui/format-date";
import { FormError } from "@/components/ui/form-error";
import { Table, Td, Th } from "@/components/ui/table";
import { settled } from "@/components/runs/format";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { CreateChannelForm } from "./create-channel-form";

/**
 * Delivery channels (admins): in-app is always on; webhooks and email can be added, paused and
 * removed. A channel the system disabled after repeated failures shows why.
 */
export function ChannelsPanel({ emailConfigured }: { emailConfigured: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const channels = useQuery(trpc.alerts.channels.queryOptions({ workspaceId: ws.id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.pathKey() });
  const setEnabled = useMutation(trpc.alerts.setChannelEnabled.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.alerts.deleteChannel.mutationOptions({ onSuccess: refresh }));

  return (
    <div className="flex flex-col gap-4" data-testid="channels-panel">
      <FormError message={channels.error?.message ?? setEnabled.error?.message ?? remove.error?.message} />
      <Table data-testid="channels-table">
        <thead>
          <tr>
            <Th>Channel</Th>
            <Th>Target</Th>
            <Th>From priority</Th>
            <Th>State</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          <tr data-testid="channel-row" data-kind="in_app">
            <Td className="font-medium">In-app</Td>
            <Td className="text-xs text-slate-500">Bell on this page, live</Td>
            <Td className="text-xs">all</Td>
            <Td>
              <Badge tone="green">on</Badge>
            </Td>
            <Td />
          </tr>
          {(channels.data ?? []).map((c) => (
            <tr key={c.id} data-testid="channel-row" data-kind={c.kind} data-enabled={c.enabled}>
              <Td className="font-medium">
                {c.name}
                <div className="text-xs font-normal text-slate-500">{c.kind}</div>
              </Td>
              <Td className="max-w-64 truncate text-xs" title={c.target}>
                {c.target}
              </Td>
              <Td className="text-xs">{c.minPriority}</Td>
              <Td>
                {c.enabled ? (
                  c.kind === "email" && !emailConfigured ? (
                    <Badge tone="amber" title="SMTP_URL is not set on the server, so email is skipped.">
                      not sending (SMTP off)
                    </Badge>
                  ) : (
                    <Badge tone="green">on</Badge>
                  )
                ) : (
                  <div data-testid="channel-disabled">
                    <Badge tone="red">disabled</Badge>
                    <p className="mt-1 max-w-64 text-xs text-red-700" data-testid="channel-disabled-reason">
                      {c.disabledReason ?? "Disabled."}
                      {c.disabledAt ? ` (${formatDateTime(c.disabledAt)})` : ""}
                    </p>
                  </div>
                )}
                {c.enabled && c.consecutiveFailures > 0 ? (
                  <p className="mt-1 text-xs text-amber-700">{c.consecutiveFailures} failed deliveries in a row</p>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap">
                <div className="flex gap-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => setEnabled.mutate({ workspaceId: ws.id, channelId: c.id, enabled: !c.enabled })}
                    data-testid="channel-toggle"
                  >
                    {c.enabled ? "Disable" : "Enable"}
                  </Button>
                  <ConfirmButton
                    testId="channel-delete"
                    question="Remove this channel?"
                    confirmLabel="Remove"
                    onConfirm={() => remove.mutateAsync({ workspaceId: ws.id, channelId: c.id }).then(settled, settled)}
                  >
                    Remove
                  </ConfirmButton>
                </div>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <CreateChannelForm emailConfigured={emailConfigured} />
    </div>
  );
}
