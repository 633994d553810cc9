import "server-only";
/**
 * Hydrations started from the app (tRPC `data.hydrate`): the workspace's own, audited in the
 * transaction that records them; batches go on the `data-hydrate` queue that every worker
 * (the app's in-process worker included) takes part in.
 */
import type { Db, DbOrTx } from "@/server/db";
import type { WorkspaceCaller } from "@/server/auth/access";
import { createHydration, hydrationResults, listHydrations } from "@/server/data/hydrate";
import { appProviders } from "@/server/data/provider-import";
import { getBoss } from "@/server/jobs/boss";
import { enqueueHydrateBatches } from "@/server/jobs/hydrate";
import { hydrations } from "@/server/db/schema";
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { recordAudit } from "./audit";

export async function startHydration(
  db: Db,
  caller: WorkspaceCaller,
  input: { provider: string; symbols: string[]; fromMs: number; toMs: number; universe?: string },
) {
  const boss = await getBoss();
  return createHydration(db, enqueueHydrateBatches(boss), appProviders(), {
    ...input,
    workspaceId: caller.workspaceId,
    onCreated: (tx, id) =>
      recordAudit(tx, {
        action: "data.hydration_started",
        actor: caller.actor,
        workspaceId: caller.workspaceId,
        target: { type: "hydration", id },
        metadata: { provider: input.provider, symbols: input.symbols.length, fromMs: input.fromMs, toMs: input.toMs },
      }),
  });
}

export function workspaceHydrations(db: DbOrTx, workspaceId: string) {
  return listHydrations(db, workspaceId, Date.now());
}

/** Per-symbol results of one of the workspace's hydrations; NOT_FOUND for another workspace's. */
export async function workspaceHydrationResults(db: DbOrTx, workspaceId: string, hydrationId: string) {
  const [h] = await db
    .select({ id: hydrations.id })
    .from(hydrations)
    .where(and(eq(hydrations.id, hydrationId), eq(hydrations.workspaceId, workspaceId)));
  if (!h) throw new AppError("NOT_FOUND", "Hydration not found.");
  return hydrationResults(db, hydrationId);
}
