import "server-only";
/** The `data-hydrate` queue's glue: batches in (server/data/hydrate.ts plans them), batches worked by every worker process. */
import type { PgBoss } from "pg-boss";
import type { Db } from "@/server/db";
import {
  hydrateBatch,
  refreshHydratedUniverses,
  type EnqueueBatches,
  type HydrateBatchJob,
} from "@/server/data/hydrate";
import { appProviders } from "@/server/data/provider-import";
import type { MarketDataProvider } from "@/server/data/providers";
import { HYDRATE_QUEUE } from "./queues";

/** Enqueue hydration batches on `boss` (one job each; pg-boss retries a dead worker's batch). */
export function enqueueHydrateBatches(boss: PgBoss): EnqueueBatches {
  return async (jobs: HydrateBatchJob[]) => {
    for (let i = 0; i < jobs.length; i += 500)
      await boss.insert(
        HYDRATE_QUEUE,
        jobs.slice(i, i + 500).map((data) => ({ data })),
      );
  };
}

/** Work one batch with this process's configured providers. */
export async function handleHydrateJob(
  db: Db,
  job: HydrateBatchJob,
  providers: MarketDataProvider[] = appProviders(),
): Promise<void> {
  await hydrateBatch(db, providers, job);
}

/** The scheduled refresh: one refresh hydration per hydrated universe, batches on the queue. */
export async function handleDataRefresh(
  boss: PgBoss,
  db: Db,
  nowMs: number,
  providers: MarketDataProvider[] = appProviders(),
): Promise<void> {
  const { started, skipped } = await refreshHydratedUniverses(db, enqueueHydrateBatches(boss), providers, nowMs);
  console.log(
    `[data] refresh: ${started.length} universe(s) queued${skipped.length ? `; skipped ${skipped.join("; ")}` : ""}`,
  );
}
