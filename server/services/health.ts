import "server-only";
import { sql } from "drizzle-orm";
import pkg from "@/package.json";
import { env } from "@/lib/env";
import { driverFor } from "@/server/db/client";
import { getDb } from "@/server/db";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  database: { status: "ok" | "error"; driver: string; latencyMs: number | null; error?: string };
  time: string;
}

export async function healthReport(): Promise<HealthReport> {
  const driver = driverFor(env().DATABASE_URL);
  const started = performance.now();
  let database: HealthReport["database"];
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    database = { status: "ok", driver, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    console.error("[health] database check failed", err);
    database = { status: "error", driver, latencyMs: null, error: "The database is not reachable." };
  }
  return {
    status: database.status === "ok" ? "ok" : "degraded",
    version: pkg.version,
    database,
    time: new Date().toISOString(),
  };
}
