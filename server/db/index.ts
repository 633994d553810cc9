import "server-only";
/**
 * The app's database, opened lazily on first use and cached on globalThis (survives dev
 * reloads; never opened at import time, because `next build` imports route modules). Opening it
 * starts nothing else: background services start in server/boot.ts.
 *
 * - DATABASE_URL unset: embedded PGlite in LAB_DATA_DIR. This process owns the folder and
 *   serves it on a loopback socket so the CLI and workers can reach it (PGlite is
 *   single-process). If another live process already owns it, we connect through its socket.
 * - postgres:// URL: node-postgres. neon.tech host: @neondatabase/serverless.
 */
import { env } from "@/lib/env";
import { createNeon, createPg, createPglite, driverFor, type DatabaseHandle } from "./client";
import { pgliteDir, readLock, writeLock } from "./data-dir";
import { onShutdown } from "@/server/lifecycle";

export type { Db, DbOrTx, Tx, DatabaseHandle } from "./client";

const globalKey = Symbol.for("strategy-lab.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DatabaseHandle> };

async function openEmbedded(): Promise<DatabaseHandle> {
  const owner = readLock();
  if (owner) {
    return createPg(`postgres://postgres@127.0.0.1:${owner.port}/postgres`, { migrate: false, max: 4 });
  }
  const handle = await createPglite(pgliteDir());
  const pglite = handle.pglite;
  if (pglite) {
    const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
    const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 16 });
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    writeLock(port);
    const close = handle.close;
    handle.close = async () => {
      await server.stop();
      await close();
    };
  }
  return handle;
}

async function open(): Promise<DatabaseHandle> {
  const url = env().DATABASE_URL;
  switch (driverFor(url)) {
    case "pglite":
      return openEmbedded();
    case "neon":
      return createNeon(url as string);
    case "pg":
      return createPg(url as string);
  }
}

/** The process-wide database handle (opens and migrates it on first call). */
export function getDatabase(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    onShutdown("database", closeDatabase);
    g[globalKey] = open().catch((err: unknown) => {
      delete g[globalKey];
      throw err;
    });
  }
  return g[globalKey];
}

/** The drizzle instance of {@link getDatabase}. */
export async function getDb() {
  return (await getDatabase()).db;
}

/** Close the process-wide database (CLI, tests, graceful shutdown). */
export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[globalKey];
  delete g[globalKey];
  if (pending) await (await pending).close();
}

/** Replace the process-wide handle (tests use an in-memory PGlite or a fresh Postgres database). */
export function setDatabaseForTests(handle: DatabaseHandle): void {
  (globalThis as GlobalWithDb)[globalKey] = Promise.resolve(handle);
  installedForTests = handle;
}

let installedForTests: DatabaseHandle | null = null;

/** Whether the process-wide handle is one a test installed (a CLI command run in-process must leave it open). */
export async function isDatabaseInstalledForTests(): Promise<boolean> {
  const pending = (globalThis as GlobalWithDb)[globalKey];
  return installedForTests !== null && pending !== undefined && (await pending) === installedForTests;
}
