import "server-only";
/**
 * Strategies and their immutable versions. Code is checked (transpile + static checks, then the
 * module is inspected in the sandbox) before anything is written; a rejected module writes nothing.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { strategies, strategyVersions, type StrategyVersion } from "@/server/db/schema";
import { checkStrategySource, inspectStrategy, SandboxError } from "@/server/sandbox";
import { recordAudit } from "./audit";
import type { WorkspaceCaller } from "@/server/auth/access";

type VersionSource = StrategyVersion["source"];

export interface CheckedCode {
  name: string;
  description: string;
  params: Record<string, unknown>;
}

/** Validate strategy code; throws UNPROCESSABLE naming line and column of the first problems. */
export async function checkCode(code: string): Promise<CheckedCode> {
  const check = checkStrategySource(code);
  if (!check.ok) {
    const list = check.errors.slice(0, 5).map((e) => `line ${e.line}, column ${e.column}: ${e.message}`);
    throw new AppError("UNPROCESSABLE", `The strategy code was rejected — ${list.join("; ")}`);
  }
  try {
    const info = await inspectStrategy(code);
    return {
      name: info.name,
      description: info.description ?? "",
      params: (info.params ?? {}) as Record<string, unknown>,
    };
  } catch (err) {
    if (err instanceof SandboxError) {
      const where = err.line ? ` (line ${err.line}${err.column ? `, column ${err.column}` : ""})` : "";
      throw new AppError("UNPROCESSABLE", `The strategy module failed to load${where}: ${err.message}`);
    }
    throw err;
  }
}

function actorId(caller: WorkspaceCaller): string | null {
  return caller.actor.userId ?? caller.actor.id;
}

export async function createStrategy(
  db: Db,
  caller: WorkspaceCaller,
  input: {
    name?: string;
    description?: string;
    code: string;
    source?: VersionSource;
    generation?: Record<string, unknown>;
  },
) {
  const checked = await checkCode(input.code);
  return db.transaction(async (tx) => {
    const [strategy] = await tx
      .insert(strategies)
      .values({
        workspaceId: caller.workspaceId,
        name: (input.name ?? checked.name).slice(0, 120) || "Untitled strategy",
        description: (input.description ?? checked.description).slice(0, 2000),
        createdBy: actorId(caller),
      })
      .returning();
    const [version] = await tx
      .insert(strategyVersions)
      .values({
        strategyId: strategy.id,
        workspaceId: caller.workspaceId,
        version: 1,
        code: input.code,
        params: checked.params,
        source: input.source ?? "manual",
        generation: input.generation ?? null,
        createdBy: actorId(caller),
      })
      .returning();
    await recordAudit(tx, {
      action: "strategy.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "strategy", id: strategy.id },
      metadata: { name: strategy.name, source: version.source },
    });
    return { strategy, version };
  });
}

export async function getStrategyOrThrow(db: DbOrTx, workspaceId: string, strategyId: string) {
  const [row] = await db
    .select()
    .from(strategies)
    .where(and(eq(strategies.id, strategyId), eq(strategies.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Strategy not found.");
  return row;
}

export async function saveVersion(
  db: Db,
  caller: WorkspaceCaller,
  input: {
    strategyId: string;
    code: string;
    note?: string;
    source?: VersionSource;
    generation?: Record<string, unknown>;
  },
) {
  const checked = await checkCode(input.code);
  return db.transaction(async (tx) => {
    const strategy = await getStrategyOrThrow(tx, caller.workspaceId, input.strategyId);
    const next = strategy.latestVersion + 1;
    const [version] = await tx
      .insert(strategyVersions)
      .values({
        strategyId: strategy.id,
        workspaceId: caller.workspaceId,
        version: next,
        code: input.code,
        params: checked.params,
        source: input.source ?? "manual",
        generation: input.generation ?? null,
        note: input.note ?? null,
        createdBy: actorId(caller),
      })
      .returning();
    await tx
      .update(strategies)
      .set({ latestVersion: next, updatedAt: new Date() })
      .where(eq(strategies.id, strategy.id));
    await recordAudit(tx, {
      action: "strategy.version_created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "strategy", id: strategy.id },
      metadata: { version: next, source: version.source },
    });
    return version;
  });
}

export async function listStrategies(db: DbOrTx, workspaceId: string, includeArchived = false) {
  const where = includeArchived
    ? eq(strategies.workspaceId, workspaceId)
    : and(eq(strategies.workspaceId, workspaceId), isNull(strategies.archivedAt));
  return db.select().from(strategies).where(where).orderBy(desc(strategies.updatedAt)).limit(500);
}

export async function listVersions(db: DbOrTx, workspaceId: string, strategyId: string) {
  await getStrategyOrThrow(db, workspaceId, strategyId);
  return db
    .select()
    .from(strategyVersions)
    .where(and(eq(strategyVersions.strategyId, strategyId), eq(strategyVersions.workspaceId, workspaceId)))
    .orderBy(desc(strategyVersions.version));
}

export async function getVersion(db: DbOrTx, workspaceId: string, strategyId: string, version?: number) {
  const strategy = await getStrategyOrThrow(db, workspaceId, strategyId);
  const wanted = version ?? strategy.latestVersion;
  const [row] = await db
    .select()
    .from(strategyVersions)
    .where(and(eq(strategyVersions.strategyId, strategyId), eq(strategyVersions.version, wanted)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", `Version ${wanted} of this strategy does not exist.`);
  return { strategy, version: row };
}

export async function restoreVersion(db: Db, caller: WorkspaceCaller, strategyId: string, version: number) {
  const { version: old } = await getVersion(db, caller.workspaceId, strategyId, version);
  return saveVersion(db, caller, {
    strategyId,
    code: old.code,
    source: "restored",
    note: `Restored from version ${version}`,
  });
}

export async function archiveStrategy(db: Db, caller: WorkspaceCaller, strategyId: string) {
  await db.transaction(async (tx) => {
    await getStrategyOrThrow(tx, caller.workspaceId, strategyId);
    await tx
      .update(strategies)
      .set({ archivedAt: new Date(), updatedAt: new Date() })
      .where(eq(strategies.id, strategyId));
    await recordAudit(tx, {
      action: "strategy.archived",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "strategy", id: strategyId },
    });
  });
}
