import "server-only";
/** REST v1 strategy handlers (routes in app/api/v1/strategies/**). */
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import type { strategyDetailSchema, strategySummarySchema } from "@/lib/schemas/api-v1";
import { createStrategyBody } from "@/lib/schemas/api-v1";
import type { Strategy, StrategyVersion } from "@/server/db/schema";
import { createStrategy, getStrategyOrThrow, listStrategies, listVersions } from "@/server/services/strategies";
import { readJson, type RestContext } from "../rest";
import { generateStrategyFromPrompt } from "./generate";
import { isUuid } from "@/lib/schemas/ids";

type Summary = z.infer<typeof strategySummarySchema>;
type Detail = z.infer<typeof strategyDetailSchema>;

export function toSummary(s: Strategy): Summary {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    state: s.state,
    latest_version: s.latestVersion,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

function toVersion(v: StrategyVersion): Detail["versions"][number] {
  return {
    version: v.version,
    source: v.source,
    note: v.note,
    params: v.params,
    created_at: v.createdAt.toISOString(),
    code: v.code,
  };
}

export function requireUuid(id: string | undefined, what: string): string {
  if (!id || !isUuid(id)) throw new AppError("NOT_FOUND", `${what} not found.`);
  return id;
}

export async function listStrategiesHandler(ctx: RestContext) {
  const rows = await listStrategies(ctx.db, ctx.caller.workspaceId);
  return { data: rows.map(toSummary) };
}

export async function getStrategyHandler(
  ctx: RestContext,
  _req: Request,
  params: Record<string, string>,
): Promise<Detail> {
  const id = requireUuid(params.id, "Strategy");
  const strategy = await getStrategyOrThrow(ctx.db, ctx.caller.workspaceId, id);
  const versions = await listVersions(ctx.db, ctx.caller.workspaceId, id);
  return { ...toSummary(strategy), versions: versions.map(toVersion) };
}

export async function createStrategyHandler(ctx: RestContext, req: Request): Promise<Detail> {
  const body = await readJson(req, createStrategyBody);
  let strategy: Strategy;
  if (body.code !== undefined) {
    ({ strategy } = await createStrategy(ctx.db, ctx.caller, { name: body.name, code: body.code, source: "api" }));
  } else {
    strategy = await generateStrategyFromPrompt(
      ctx,
      { prompt: body.prompt ?? "", model: body.model, name: body.name },
      req.signal,
    );
  }
  const versions = await listVersions(ctx.db, ctx.caller.workspaceId, strategy.id);
  return { ...toSummary(strategy), versions: versions.map(toVersion) };
}
