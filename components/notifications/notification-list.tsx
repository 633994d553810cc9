import { formatDateTime } from "@/components/ui/format-date";

/** One notification as the client receives it (dates as ISO strings). */
export interface NotificationRow {
  id: string;
  kind: "alert" | "channel_disabled" | "run" | "lifecycle";
  title: string;
  body: string;
  priority: "low" | "normal" | "high" | "critical";
  createdAt: string;
}

const DOT = { low: "bg-slate-400", normal: "bg-sky-500", high: "bg-amber-500", critical: "bg-red-600" } as const;

export function NotificationList({ rows }: { rows: readonly NotificationRow[] }) {
  if (rows.length === 0) return <p className="p-3 text-sm text-slate-500">No notifications yet.</p>;
  return (
    <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
      {rows.map((n) => (
        <li key={n.id} className="flex gap-2 px-2 py-2" data-testid="notification-item" data-kind={n.kind}>
          <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${DOT[n.priority]}`} aria-label={n.priority} />
          <div className="min-w-0">
            <p className="text-sm font-medium">{n.title}</p>
            {n.body ? <p className="text-xs text-slate-600">{n.body}</p> : null}
            <p className="text-xs text-slate-400">{formatDateTime(n.createdAt)}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
