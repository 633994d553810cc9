import "server-only";
/** REST v1 market data handlers (routes in app/api/v1/data/**). */
import type { z } from "zod";
import type { universeSummarySchema } from "@/lib/schemas/api-v1";
import { listUniverses, type UniverseSummary } from "@/server/data/universes";
import type { RestContext } from "../rest";

type Universe = z.infer<typeof universeSummarySchema>;
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function toUniverse(u: UniverseSummary): Universe {
  return {
    name: u.name,
    description: u.description,
    kind: u.synthetic ? "synthetic" : u.own ? "own" : "shared",
    symbols: u.symbols.length,
    symbols_with_data: u.freshness?.symbolsWithData ?? 0,
    last_bar_at: iso(u.freshness?.lastBarMs),
    oldest_last_bar_at: iso(u.freshness?.oldestLastBarMs),
    last_updated_at: iso(u.freshness?.lastWriteMs),
    list_updated_at: iso(u.updatedMs),
  };
}

/** `GET /api/v1/data/universes`: the universes the key's workspace can use, with "last updated". */
export async function listUniversesHandler(ctx: RestContext) {
  return { data: (await listUniverses(ctx.db, ctx.caller.workspaceId)).map(toUniverse) };
}
