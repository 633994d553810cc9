import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { num } from "@/components/runs/format";
import type { AlertResult } from "@/components/runs/types";

/** The alerts an alert run found on the newest bars, newest first. */
export function AlertRunResult({ result }: { result: AlertResult }) {
  return (
    <div className="flex flex-col gap-3" data-testid="alert-run-result">
      <p className="text-sm text-slate-600">
        {result.alerts.length} alert{result.alerts.length === 1 ? "" : "s"} across {result.symbols_monitored} watched
        symbols.
      </p>
      {result.alerts.length === 0 ? (
        <EmptyState title="No signals on the newest bars" data-testid="alert-run-empty" />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Time</Th>
              <Th>Symbol</Th>
              <Th>Type</Th>
              <Th>Priority</Th>
              <Th className="text-right">Price</Th>
              <Th className="text-right">Change %</Th>
              <Th className="text-right">Score</Th>
              <Th>Message</Th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {result.alerts.map((a) => (
              <tr key={`${a.symbol}-${a.timestamp_ms}-${a.type}`} data-testid="alert-run-row" data-symbol={a.symbol}>
                <Td className="whitespace-nowrap text-xs text-slate-500">{a.timestamp.slice(0, 10)}</Td>
                <Td className="font-medium">{a.symbol}</Td>
                <Td>{a.type.replace("_", " ")}</Td>
                <Td>{a.priority}</Td>
                <Td className="text-right">{num(a.data.current_price)}</Td>
                <Td className="text-right">{num(a.data.daily_change_pct)}</Td>
                <Td className="text-right">{num(a.data.score, 3)}</Td>
                <Td className="text-xs text-slate-600">{a.message}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
