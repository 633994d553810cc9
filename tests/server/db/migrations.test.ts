import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/server/db/schema";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

describe.each(DRIVERS)("migrations on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  it("creates the foundation tables", async () => {
    const rows = await t.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = (rows as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining(["user", "workspace", "membership", "invite", "audit_log", "rate_limit"]),
    );
  });

  it("keeps audit rows append-only", async () => {
    await t.db.insert(auditLog).values({ actorType: "system", action: "test.created" });
    await expect(
      t.db
        .update(auditLog)
        .set({ action: "tampered" })
        .where(sql`true`),
    ).rejects.toThrow();
    await expect(t.db.delete(auditLog).where(sql`true`)).rejects.toThrow();
    const rows = await t.db.select().from(auditLog);
    expect(rows.map((r) => r.action)).toEqual(["test.created"]);
  });
});
