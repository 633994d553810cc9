"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { AlertFeedTable } from "./alert-feed-table";
import { FeedFilters, type FeedFilter } from "./feed-filters";

const POLL_MS = 5000;

/** The alert feed: filters, keyset paging, and Acknowledge for one alert or the selected ones. */
export function AlertFeed({ rules }: { rules: readonly { id: string; name: string }[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<FeedFilter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const feed = useQuery(
    trpc.alerts.feed.queryOptions(
      { workspaceId: ws.id, ...filter, before: cursors[cursors.length - 1], limit: 50 },
      { refetchInterval: POLL_MS },
    ),
  );
  const ack = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => {
        setSelected(new Set());
        return queryClient.invalidateQueries({ queryKey: trpc.alerts.feed.pathKey() });
      },
    }),
  );
  const canAck = ws.can("alerts.write");
  const names = new Map(rules.map((r) => [r.id, r.name]));
  const nextCursor = feed.data?.nextCursor ?? null;
  const acknowledge = (eventIds: string[]) => ack.mutate({ workspaceId: ws.id, eventIds });

  return (
    <div className="flex flex-col gap-4" data-testid="alert-feed">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <FeedFilters
          value={filter}
          rules={rules}
          onChange={(next) => {
            setFilter(next);
            setCursors([]);
            setSelected(new Set());
          }}
        />
        {canAck ? (
          <Button
            size="sm"
            disabled={selected.size === 0 || ack.isPending}
            onClick={() => acknowledge([...selected])}
            data-testid="feed-ack-selected"
          >
            Acknowledge selected ({selected.size})
          </Button>
        ) : null}
      </div>
      <FormError message={feed.error?.message ?? ack.error?.message} />
      {feed.isPending ? (
        <p className="text-sm text-slate-500">Loading alerts…</p>
      ) : (
        <AlertFeedTable
          rows={feed.data?.rows ?? []}
          ruleNames={names}
          canAck={canAck}
          selected={selected}
          onSelect={setSelected}
          onAck={(id) => acknowledge([id])}
          busy={ack.isPending}
        />
      )}
      <div className="flex gap-2">
        {cursors.length > 0 ? (
          <Button variant="secondary" size="sm" onClick={() => setCursors([])}>
            Newest
          </Button>
        ) : null}
        {nextCursor ? (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setCursors((c) => [...c, nextCursor])}
            data-testid="feed-older"
          >
            Older
          </Button>
        ) : null}
      </div>
    </div>
  );
}
