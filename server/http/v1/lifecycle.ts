import "server-only";
/** REST v1 lifecycle handlers: a strategy's lifecycle event, and the workspace kill switch. */
import { AppError } from "@/lib/errors";
import { killSwitchBody, lifecycleEventBody } from "@/lib/schemas/lifecycle";
import { applyLifecycleEvent, setKillSwitch } from "@/server/services/lifecycle";
import { getStrategyOrThrow } from "@/server/services/strategies";
import { readJson, type RestContext } from "../rest";
import { requireUuid, toSummary } from "./strategies";

/** Clock of the REST handlers (tests replace it to run the time rules on a fake clock). */
export const restClock = { now: () => new Date() };

export async function lifecycleEventHandler(ctx: RestContext, req: Request, params: Record<string, string>) {
  const id = requireUuid(params.id, "Strategy");
  const body = await readJson(req, lifecycleEventBody);
  await applyLifecycleEvent(ctx.db, ctx.caller, id, body.event, {
    now: restClock.now(),
    approve: ctx.can("strategies.approve"),
    reason: body.reason,
  });
  return toSummary(await getStrategyOrThrow(ctx.db, ctx.caller.workspaceId, id));
}

export async function killSwitchHandler(ctx: RestContext, req: Request) {
  const body = await readJson(req, killSwitchBody);
  if (!ctx.can("strategies.approve"))
    throw new AppError("FORBIDDEN", "The kill switch needs an admin (strategies.approve).");
  return setKillSwitch(ctx.db, ctx.caller, body.on, { now: restClock.now(), reason: body.reason });
}
