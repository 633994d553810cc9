"use client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { PRIORITY_TONE, type Priority } from "./priority";

/** One fired alert as the feed returns it (dates as ISO strings). */
export interface AlertEventRow {
  id: string;
  ruleId: string | null;
  symbol: string;
  barTime: string;
  type: string;
  priority: Priority;
  message: string;
  createdAt: string;
  acknowledgedAt: string | null;
}

export interface AlertFeedTableProps {
  rows: readonly AlertEventRow[];
  ruleNames: ReadonlyMap<string, string>;
  canAck: boolean;
  selected: ReadonlySet<string>;
  onSelect(next: ReadonlySet<string>): void;
  onAck(id: string): void;
  busy: boolean;
}

export function AlertFeedTable({ rows, ruleNames, canAck, selected, onSelect, onAck, busy }: AlertFeedTableProps) {
  if (rows.length === 0) return <EmptyState title="No alerts match" data-testid="feed-empty" />;
  const open = rows.filter((r) => !r.acknowledgedAt).map((r) => r.id);
  const all = open.length > 0 && open.every((id) => selected.has(id));
  const flip = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
    <Table data-testid="feed-table">
      <thead>
        <tr>
          {canAck ? (
            <Th className="w-8">
              <input
                type="checkbox"
                aria-label="Select all unacknowledged"
                checked={all}
                disabled={open.length === 0}
                onChange={() => onSelect(all ? new Set() : new Set(open))}
                data-testid="feed-select-all"
              />
            </Th>
          ) : null}
          <Th>Fired</Th>
          <Th>Rule</Th>
          <Th>Symbol</Th>
          <Th>Type</Th>
          <Th>Priority</Th>
          <Th>Message</Th>
          <Th>Acknowledged</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.id}
            data-testid="feed-row"
            data-event-id={r.id}
            data-acknowledged={Boolean(r.acknowledgedAt)}
            data-priority={r.priority}
          >
            {canAck ? (
              <Td>
                {!r.acknowledgedAt ? (
                  <input
                    type="checkbox"
                    aria-label={`Select ${r.symbol} alert`}
                    checked={selected.has(r.id)}
                    onChange={() => flip(r.id)}
                    data-testid="feed-select"
                  />
                ) : null}
              </Td>
            ) : null}
            <Td className="whitespace-nowrap text-xs text-slate-500">
              {formatDateTime(r.createdAt)}
              <div>bar {r.barTime.slice(0, 10)}</div>
            </Td>
            <Td className="text-xs">{r.ruleId ? (ruleNames.get(r.ruleId) ?? "—") : "lifecycle"}</Td>
            <Td className="font-medium">{r.symbol}</Td>
            <Td className="text-xs">{r.type.replace("_", " ")}</Td>
            <Td>
              <Badge tone={PRIORITY_TONE[r.priority]}>{r.priority}</Badge>
            </Td>
            <Td className="max-w-80 text-xs text-slate-600">{r.message}</Td>
            <Td className="whitespace-nowrap text-xs">
              {r.acknowledgedAt ? (
                <span className="text-slate-500">{formatDateTime(r.acknowledgedAt)}</span>
              ) : canAck ? (
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => onAck(r.id)}
                  disabled={busy}
                  data-testid="feed-ack"
                >
                  Acknowledge
                </Button>
              ) : (
                <span className="text-slate-400">open</span>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
