"use client";
/**
 * In-app notifications: the recent ones from `notifications.list`, and new ones live through the
 * `notifications.watch` subscription. The count shows what arrived since the panel was last
 * opened; a new alert also refreshes the alert feed.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { NotificationList, type NotificationRow } from "./notification-list";

export function NotificationBell() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const recent = useQuery(trpc.notifications.list.queryOptions({ workspaceId: ws.id }));
  const [live, setLive] = useState<NotificationRow[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const sub = useSubscription(
    trpc.notifications.watch.subscriptionOptions(
      { workspaceId: ws.id },
      {
        onData: (n) => {
          setLive((prev) => (prev.some((p) => p.id === n.id) ? prev : [n, ...prev].slice(0, 50)));
          setUnread((u) => u + 1);
          if (n.kind === "alert") void queryClient.invalidateQueries({ queryKey: trpc.alerts.feed.pathKey() });
          if (n.kind === "channel_disabled")
            void queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.pathKey() });
        },
      },
    ),
  );
  const seen = new Set(live.map((n) => n.id));
  const rows = [...live, ...(recent.data ?? []).filter((n) => !seen.has(n.id))];

  return (
    <div className="relative" data-testid="notification-bell" data-live={sub.status}>
      <button
        type="button"
        onClick={() => {
          setOpen((o) => !o);
          setUnread(0);
        }}
        className="relative inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
        aria-expanded={open}
        aria-label={`Notifications${unread > 0 ? `, ${unread} new` : ""}`}
        data-testid="notification-toggle"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2}>
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        Notifications
        {unread > 0 ? (
          <span
            className="rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white"
            data-testid="notification-count"
          >
            {unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          className="absolute right-0 z-20 mt-2 w-96 rounded-lg border border-slate-200 bg-white p-2 shadow-lg"
          data-testid="notification-panel"
        >
          <NotificationList rows={rows} />
          {sub.status === "error" ? (
            <p className="px-2 pt-2 text-xs text-amber-700">Live updates paused; reopen the page to resume.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
