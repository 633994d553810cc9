"use client";
import type { HydrateResult } from "@/lib/runs/hydrate";
import { Table, Td, Th } from "@/components/ui/table";

const STATUS_CLASS: Record<HydrateResult["symbols"][number]["status"], string> = {
  ok: "text-emerald-700",
  no_data: "text-slate-500",
  error: "text-red-700",
};

/** A finished hydrate run: totals, then each symbol's outcome (ok / no data / error with the reason). */
export function HydrateRunResult({ result }: { result: HydrateResult }) {
  return (
    <div className="flex flex-col gap-4" data-testid="hydrate-result">
      <p className="text-sm">
        {result.ok} of {result.total} symbols hydrated from <b>{result.provider}</b> into universe{" "}
        <b>{result.universe}</b> ({result.from} → {result.to}): {result.bars.toLocaleString("en-US")} bars written
        {result.noData ? `, ${result.noData} without data` : ""}
        {result.error ? `, ${result.error} failed` : ""}.
      </p>
      <Table data-testid="hydrate-symbols">
        <thead>
          <tr>
            <Th>Symbol</Th>
            <Th>Outcome</Th>
            <Th className="text-right">Bars</Th>
            <Th>Reason</Th>
          </tr>
        </thead>
        <tbody>
          {result.symbols.map((s) => (
            <tr key={s.symbol} data-testid="hydrate-symbol" data-status={s.status}>
              <Td className="font-medium">{s.symbol}</Td>
              <Td className={STATUS_CLASS[s.status]}>{s.status.replace("_", " ")}</Td>
              <Td className="text-right tabular-nums">{s.bars.toLocaleString("en-US")}</Td>
              <Td className="max-w-96 truncate text-xs text-slate-600" title={s.reason ?? undefined}>
                {s.reason ?? ""}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
