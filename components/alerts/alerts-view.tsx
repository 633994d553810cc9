"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import type { UniverseOption } from "@/components/runs/universe-select";
import { Card } from "@/components/ui/card";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { AlertFeed } from "./alert-feed";
import { AlertRulesTable } from "./alert-rules-table";
import { ChannelsPanel } from "./channels-panel";
import { CreateRuleForm } from "./create-rule-form";

/** The alerts page body: feed, rules (+ create form for writers), channels for admins. */
export function AlertsView({
  universes,
  emailConfigured,
}: {
  universes: readonly UniverseOption[];
  emailConfigured: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const rules = useQuery(trpc.alerts.rules.queryOptions({ workspaceId: ws.id }));
  const strategies = useQuery(trpc.strategies.list.queryOptions({ workspaceId: ws.id, includeArchived: true }));
  const strategyNames = new Map((strategies.data ?? []).map((s) => [s.id, s.name]));
  return (
    <div className="flex flex-col gap-6">
      <Card title="Alert feed" description="Alerts fired by your rules, newest first. Acknowledge them once handled.">
        <AlertFeed rules={(rules.data ?? []).map((r) => ({ id: r.id, name: r.name }))} />
      </Card>
      <Card
        title="Rules"
        description="Evaluated as new bars arrive (or on their schedule). The cooldown stops one symbol from firing the same rule again too soon."
      >
        <AlertRulesTable strategyNames={strategyNames} />
        {ws.can("alerts.write") ? (
          <div className="mt-6 border-t border-slate-100 pt-5">
            <h3 className="mb-3 text-sm font-semibold">New rule</h3>
            <CreateRuleForm universes={universes} />
          </div>
        ) : null}
      </Card>
      {ws.can("channels.manage") ? (
        <Card
          title="Channels"
          description="Where alerts are delivered besides the in-app bell. Webhooks are signed with HMAC-SHA256 and retried with backoff; repeated failures disable a channel and tell admins why."
        >
          <ChannelsPanel emailConfigured={emailConfigured} />
        </Card>
      ) : null}
    </div>
  );
}
