/**
 * Fresh databases for integration tests: an in-memory PGlite, or a brand-new database on the
 * PostgreSQL server at 127.0.0.1:5432 (dropped afterwards). `DRIVERS` lists what this machine
 * has: PGlite always; Postgres unless LAB_TEST_SKIP_POSTGRES=1.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPg, createPglite, type DatabaseHandle } from "@/server/db/client";

export type TestDriver = "pglite" | "postgres";

export const PG_ADMIN_URL = process.env.LAB_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const DRIVERS: TestDriver[] = process.env.LAB_TEST_SKIP_POSTGRES === "1" ? ["pglite"] : ["pglite", "postgres"];

export interface TestDatabase extends DatabaseHandle {
  /** Connection URL (Postgres only). */
  url?: string;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database. Call `close()` to release (and drop, on Postgres). */
export async function createTestDatabase(driver: TestDriver): Promise<TestDatabase> {
  if (driver === "pglite") return createPglite(null);
  const name = `lab_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(PG_ADMIN_URL, name);
  const handle = await createPg(url, { max: 5 });
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: PG_ADMIN_URL });
      await drop.connect();
      // Let closing pools (the app's, pg-boss's) finish before forcing; a forced drop kills
      // connections that may still be ending.
      for (let attempt = 0; ; attempt++) {
        try {
          await drop.query(
            attempt < 20 ? `DROP DATABASE IF EXISTS ${name}` : `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
          );
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await drop.end();
    },
  };
}
