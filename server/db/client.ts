/**
 * Database clients by driver. No import-time side effects: a client is created only when
 * `createDatabase` is called (next build imports route modules; see STACK.md).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Drizzle database over any of our drivers (PGlite, node-postgres, Neon). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; query functions accept `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type Driver = "pglite" | "pg" | "neon";

export interface DatabaseHandle {
  db: Db;
  driver: Driver;
  /** The PGlite instance in embedded mode (pg-boss and the socket server share it). */
  pglite?: import("@electric-sql/pglite").PGlite;
  /** The pg / neon pool in server mode. */
  pool?: { end(): Promise<void> };
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(process.cwd(), "drizzle");

export function driverFor(url: string | undefined): Driver {
  if (!url) return "pglite";
  if (/\.neon\.tech\b/.test(url) || url.startsWith("neon:")) return "neon";
  return "pg";
}

/** `dataDir` null → in-memory PGlite (tests). */
export async function createPglite(dataDir: string | null): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const pglite = dataDir ? new PGlite(path.resolve(dataDir)) : new PGlite();
  await pglite.waitReady;
  const db = drizzle(pglite, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return { db: db as unknown as Db, driver: "pglite", pglite, close: () => pglite.close() };
}

export async function createPg(url: string, opts: { migrate?: boolean; max?: number } = {}): Promise<DatabaseHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection that the server closes (restart, failover, admin) must not crash the process.
  pool.on("error", (err) => console.error("[db] idle connection error:", err.message));
  const db = drizzle(pool, { schema });
  if (opts.migrate !== false) {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  }
  return { db: db as unknown as Db, driver: "pg", pool, close: () => pool.end() };
}

export async function createNeon(url: string, opts: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const { Pool } = await import("@neondatabase/serverless");
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const pool = new Pool({ connectionString: url.replace(/^neon:/, "postgres:") });
  pool.on("error", (err: Error) => console.error("[db] idle connection error:", err.message));
  const db = drizzle(pool, { schema });
  if (opts.migrate !== false) {
    const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  }
  return { db: db as unknown as Db, driver: "neon", pool, close: () => pool.end() };
}
