import "server-only";
/**
 * Shareable reports: publishing copies what the page needs out of a finished backtest into an
 * immutable snapshot (equity, drawdown, benchmark, metrics, trades, grade, optionally the code).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { reports, runs } from "@/server/db/schema";
import { recordAudit } from "./audit";
import { getVersion } from "./strategies";
import type { WorkspaceCaller } from "./workspaces";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const MAX_POINTS = 1500;
const MAX_TRADES = 5000;

export interface ReportSnapshot {
  title: string;
  strategy: { name: string; params: Record<string, unknown>; version: number | null };
  trustworthy: boolean;
  warnings: string[];
  dateRange: [string, string] | null;
  symbols: number;
  metrics: Record<string, number | null>;
  grade: string | null;
  series: { timestamps: number[]; equity: number[]; drawdown: number[]; benchmark: number[] };
  trades: Record<string, unknown>[];
  tradesTruncated: boolean;
  code: string | null;
  publishedAt: string;
}

/** Every k-th point (always keeping the last) so a long curve stays small. */
function thin(values: number[], step: number): number[] {
  if (step <= 1) return values;
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(values[i]);
  if ((values.length - 1) % step !== 0) out.push(values[values.length - 1]);
  return out;
}

function asArray(v: unknown): number[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === "number" ? x : Number.NaN)) : [];
}

export function buildSnapshot(result: Record<string, unknown>, title: string, code: string | null, version: number | null, now: Date): ReportSnapshot {
  const engine = (result.engine ?? {}) as Record<string, unknown>;
  const summary = (result.summary ?? {}) as Record<string, unknown>;
  const strategy = (result.strategy ?? {}) as { name?: string; params?: Record<string, unknown> };
  const timestamps = asArray(engine.timestamps);
  const step = Math.max(1, Math.ceil(timestamps.length / MAX_POINTS));
  const trades = Array.isArray(engine.trades) ? (engine.trades as Record<string, unknown>[]) : [];
  const graded = result.grade as { grade?: string; score?: number } | undefined;
  const grade = graded?.grade ? `${graded.grade.replace("_", " ")}${typeof graded.score === "number" ? ` · ${graded.score}/100` : ""}` : null;
  return {
    title,
    strategy: { name: strategy.name ?? title, params: strategy.params ?? {}, version },
    trustworthy: result.trustworthy !== false,
    warnings: Array.isArray(result.warnings) ? (result.warnings as string[]) : [],
    dateRange: Array.isArray(summary.date_range) ? (summary.date_range as [string, string]) : null,
    symbols: typeof summary.symbols_processed === "number" ? summary.symbols_processed : 0,
    metrics: (result.performance_metrics ?? {}) as Record<string, number | null>,
    grade,
    series: {
      timestamps: thin(timestamps, step),
      equity: thin(asArray(engine.equity), step),
      drawdown: thin(asArray(engine.drawdown), step),
      benchmark: thin(asArray(engine.benchmark), step),
    },
    trades: trades.slice(0, MAX_TRADES),
    tradesTruncated: trades.length > MAX_TRADES,
    code,
    publishedAt: now.toISOString(),
  };
}

export async function publishReport(
  db: Db,
  caller: WorkspaceCaller,
  input: { runId: string; includeCode: boolean; expiresInDays?: number; title?: string },
  baseUrl: string,
  now = new Date(),
) {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, input.runId), eq(runs.workspaceId, caller.workspaceId)))
    .limit(1);
  if (!run) throw new AppError("NOT_FOUND", "Run not found.");
  if (run.kind !== "backtest") throw new AppError("UNPROCESSABLE", "Only backtests can be published as reports.");
  if (run.status !== "succeeded" || !run.result) throw new AppError("CONFLICT", `This backtest is ${run.status}; publish it once it has succeeded.`);
  const strategyId = typeof run.input.strategyId === "string" ? run.input.strategyId : null;
  let code: string | null = null;
  let version: number | null = typeof run.input.version === "number" ? run.input.version : null;
  let name = input.title ?? "Backtest report";
  if (strategyId) {
    const found = await getVersion(db, caller.workspaceId, strategyId, version ?? undefined).catch(() => null);
    if (found) {
      version = found.version.version;
      name = input.title ?? found.strategy.name;
      if (input.includeCode) code = found.version.code;
    }
  }
  if (input.includeCode && code === null) throw new AppError("CONFLICT", "The strategy code of this run is no longer available; publish without code.");
  const token = randomBytes(32).toString("base64url");
  const snapshot = buildSnapshot(run.result, name, code, version, now);
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reports)
      .values({
        workspaceId: caller.workspaceId,
        runId: run.id,
        tokenHash: hashToken(token),
        title: name,
        includeCode: input.includeCode,
        snapshot: snapshot as unknown as Record<string, unknown>,
        createdBy: caller.actor.userId ?? caller.actor.id,
        expiresAt,
      })
      .returning({ id: reports.id });
    await recordAudit(tx, {
      action: "report.published",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "report", id: row.id },
      metadata: { runId: run.id, includeCode: input.includeCode, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, token, url: `${baseUrl.replace(/\/$/, "")}/r/${token}` };
  });
}

export async function listReports(db: DbOrTx, workspaceId: string) {
  return db
    .select({ id: reports.id, title: reports.title, runId: reports.runId, includeCode: reports.includeCode, createdAt: reports.createdAt, expiresAt: reports.expiresAt, revokedAt: reports.revokedAt })
    .from(reports)
    .where(eq(reports.workspaceId, workspaceId))
    .orderBy(desc(reports.createdAt))
    .limit(200);
}

export async function revokeReport(db: Db, caller: WorkspaceCaller, reportId: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(reports)
      .set({ revokedAt: new Date() })
      .where(and(eq(reports.id, reportId), eq(reports.workspaceId, caller.workspaceId), isNull(reports.revokedAt)))
      .returning({ id: reports.id });
    if (!row) throw new AppError("NOT_FOUND", "No active report with that id in this workspace.");
    await recordAudit(tx, { action: "report.revoked", actor: caller.actor, workspaceId: caller.workspaceId, target: { type: "report", id: reportId } });
  });
}

export type PublicReport = { state: "ok"; snapshot: ReportSnapshot } | { state: "revoked" | "expired" | "missing" };

/** What /r/<token> shows. Unknown tokens and malformed ones look the same. */
export async function getPublicReport(db: DbOrTx, token: string, now = new Date()): Promise<PublicReport> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: "missing" };
  const [row] = await db.select().from(reports).where(eq(reports.tokenHash, hashToken(token))).limit(1);
  if (!row) return { state: "missing" };
  if (row.revokedAt) return { state: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { state: "expired" };
  return { state: "ok", snapshot: row.snapshot as unknown as ReportSnapshot };
}
