"use client";
/** Closed trades, sortable by any column and paginated. */
import { useMemo, useState } from "react";
import type { BacktestResult } from "../types";

type Trade = BacktestResult["engine"]["trades"][number];
type Key =
  | "symbol"
  | "entry_time"
  | "exit_time"
  | "entry_price"
  | "exit_price"
  | "return_pct"
  | "pnl"
  | "bars_held"
  | "exit_reason";

const COLUMNS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: "symbol", label: "Symbol" },
  { key: "entry_time", label: "Entry" },
  { key: "exit_time", label: "Exit" },
  { key: "entry_price", label: "Entry price", numeric: true },
  { key: "exit_price", label: "Exit price", numeric: true },
  { key: "return_pct", label: "Return %", numeric: true },
  { key: "pnl", label: "P&L", numeric: true },
  { key: "bars_held", label: "Bars", numeric: true },
  { key: "exit_reason", label: "Exit reason" },
];
const PAGE = 25;

export function TradesTable({ trades }: { trades: Trade[] }) {
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: "entry_time", dir: 1 });
  const [page, setPage] = useState(0);
  const sorted = useMemo(
    () =>
      [...trades].sort((a, b) => (a[sort.key] < b[sort.key] ? -sort.dir : a[sort.key] > b[sort.key] ? sort.dir : 0)),
    [trades, sort],
  );
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE));
  const rows = sorted.slice(page * PAGE, page * PAGE + PAGE);
  const fmt = (t: Trade, k: Key) => {
    const v = t[k];
    if (k === "entry_time" || k === "exit_time") return String(v).slice(0, 10);
    return typeof v === "number" ? v.toFixed(k === "bars_held" ? 0 : 2) : v;
  };
  return (
    <div data-testid="trades-table" className="flex flex-col gap-2">
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Trades">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={`px-2 py-1 ${c.numeric ? "text-right" : ""}`}
                  aria-sort={sort.key === c.key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
                >
                  <button
                    type="button"
                    onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : 1 }))}
                    className="hover:underline"
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((t, i) => (
              <tr key={`${t.symbol}-${t.entry_bar}-${i}`} className="border-b border-slate-100">
                {COLUMNS.map((c) => (
                  <td
                    key={c.key}
                    className={`px-2 py-1 tabular-nums ${c.numeric ? "text-right" : ""} ${c.key === "return_pct" ? (t.return_pct >= 0 ? "text-emerald-700" : "text-red-700") : ""}`}
                  >
                    {fmt(t, c.key)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <button
          type="button"
          disabled={page === 0}
          onClick={() => setPage((p) => p - 1)}
          className="rounded border px-2 py-0.5 disabled:opacity-40"
        >
          Previous
        </button>
        <span data-testid="trades-page">
          Page {page + 1} of {pages} · {trades.length} trades
        </span>
        <button
          type="button"
          disabled={page >= pages - 1}
          onClick={() => setPage((p) => p + 1)}
          className="rounded border px-2 py-0.5 disabled:opacity-40"
        >
          Next
        </button>
      </div>
    </div>
  );
}
