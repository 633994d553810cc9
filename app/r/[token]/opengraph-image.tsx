import { ImageResponse } from "next/og";
import { getDb } from "@/server/db";
import { getPublicReport } from "@/server/services/reports";

export const size = { width: 1200, height: 630 };
export const contentType = "image/png";
export const dynamic = "force-dynamic";

/** Link-preview card: title, return, drawdown, Sharpe and a small equity line. */
export default async function Image({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const report = await getPublicReport(await getDb(), token);
  const s = report.state === "ok" ? report.snapshot : null;
  const m = s?.metrics ?? {};
  const pct = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? `${v.toFixed(1)}%` : "—");
  const eq = s?.series.equity.filter(Number.isFinite) ?? [];
  const lo = Math.min(...eq);
  const hi = Math.max(...eq);
  const points = eq
    .map((v, i) => `${(i / Math.max(1, eq.length - 1)) * 1100 + 50},${560 - ((v - lo) / (hi - lo || 1)) * 200}`)
    .join(" ");
  return new ImageResponse(
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        background: "#0f172a",
        color: "white",
        padding: 50,
      }}
    >
      <div style={{ fontSize: 28, color: "#94a3b8" }}>Strategy Lab · backtest report</div>
      <div style={{ fontSize: 60, fontWeight: 700, marginTop: 10 }}>{s?.title ?? "Report unavailable"}</div>
      <div style={{ display: "flex", gap: 60, fontSize: 36, marginTop: 30 }}>
        <div style={{ display: "flex" }}>Return {pct(m.total_return_pct)}</div>
        <div style={{ display: "flex" }}>Max DD {pct(m.max_drawdown_pct)}</div>
        <div style={{ display: "flex" }}>Sharpe {typeof m.sharpe === "number" ? m.sharpe.toFixed(2) : "—"}</div>
      </div>
      <svg width="1200" height="630" style={{ position: "absolute", left: 0, top: 0 }}>
        {points && <polyline points={points} fill="none" stroke="#38bdf8" strokeWidth="4" />}
      </svg>
    </div>,
    size,
  );
}
