import "server-only";
/**
 * Shareable reports: publishing copies what the page needs out of a finished backtest into an
 * immutable snapshot (equity, drawdown, benchmark, metrics, trades, grade, optionally the code).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { buildSnapshot, type ReportSnapshot } from "@/lib/reports/snapshot";
import { tagRunResult } from "@/lib/runs/kinds";
import { reports, runs } from "@/server/db/schema";
import { recordAudit } from "./audit";
import { runAssumptions } from "./run-assumptions";
import { getVersion } from "./strategies";
import type { WorkspaceCaller } from "@/server/auth/access";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

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
  const tagged = tagRunResult(run.kind, run.result);
  if (run.status !== "succeeded" || tagged?.kind !== "backtest")
    throw new AppError("CONFLICT", `This backtest is ${run.status}; publish it once it has succeeded.`);
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
  if (input.includeCode && code === null)
    throw new AppError("CONFLICT", "The strategy code of this run is no longer available; publish without code.");
  const token = randomBytes(32).toString("base64url");
  const assumptions = await runAssumptions(db, caller.workspaceId, run.input as Record<string, unknown>);
  const snapshot = buildSnapshot(tagged.result, name, code, version, now, assumptions);
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
        snapshot,
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
    .select({
      id: reports.id,
      title: reports.title,
      runId: reports.runId,
      includeCode: reports.includeCode,
      createdAt: reports.createdAt,
      expiresAt: reports.expiresAt,
      revokedAt: reports.revokedAt,
    })
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
    await recordAudit(tx, {
      action: "report.revoked",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "report", id: reportId },
    });
  });
}

export type { ReportSnapshot };

export type PublicReport = { state: "ok"; snapshot: ReportSnapshot } | { state: "revoked" | "expired" | "missing" };

/** What /r/<token> shows. Unknown tokens and malformed ones look the same. */
export async function getPublicReport(db: DbOrTx, token: string, now = new Date()): Promise<PublicReport> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: "missing" };
  const [row] = await db
    .select()
    .from(reports)
    .where(eq(reports.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return { state: "missing" };
  if (row.revokedAt) return { state: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { state: "expired" };
  return { state: "ok", snapshot: row.snapshot };
}
