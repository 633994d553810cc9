/** Scheduled backups write restorable files and keep only the newest N. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBackup, tableFigures } from "@/server/ops/backup";
import { runScheduledBackup } from "@/server/ops/scheduled-backup";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

describe("scheduled backups", () => {
  let db: TestDatabase;
  const dir = mkdtempSync(path.join(tmpdir(), "lab-sched-"));
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    await seedWorkspace(db.db);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a named backup each time and keeps the newest 2", async () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h, 30, 0));
    const first = await runScheduledBackup(db.db, { dir, keep: 2, kind: "logical", now: at(1) });
    expect(path.basename(first.file)).toBe("lab-20261201T013000Z.bak");
    await runScheduledBackup(db.db, { dir, keep: 2, kind: "logical", now: at(2) });
    const third = await runScheduledBackup(db.db, { dir, keep: 2, kind: "logical", now: at(3) });
    expect(third.removed).toEqual(["lab-20261201T013000Z.bak"]);
    expect(readdirSync(dir).sort()).toEqual(["lab-20261201T023000Z.bak", "lab-20261201T033000Z.bak"]);
    const { header } = readBackup(readFileSync(third.file));
    expect(header.tables).toEqual(await tableFigures(db.db));
  });
});
