/**
 * Backup and restore on both databases: a restore into an empty database gives back every row
 * (row counts and checksums per table, computed independently on each side); a non-empty
 * target needs --yes; a truncated or foreign file and a newer schema are refused with nothing
 * changed. The CLI contract is exercised once per database.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { ensureDemoUniverse } from "@/server/data/demo";
import {
  BACKUP_MAGIC,
  createBackup,
  readBackup,
  restoreBackup,
  tableFigures,
  type BackupKind,
} from "@/server/ops/backup";
import { shippedMigrations } from "@/server/ops/readiness";
import { createStrategy } from "@/server/services/strategies";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

const ROOT = path.resolve(import.meta.dirname, "../../..");

function lab(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "server/cli/lab.ts", ...args],
      { cwd: ROOT, env: { ...process.env, LAB_LOG_LEVEL: "warn", ...env } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe.each(DRIVERS)("backup and restore (%s)", (driver) => {
  const kind: BackupKind = driver === "postgres" ? "pg_dump" : "logical";
  let source: TestDatabase;
  const opened: TestDatabase[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "lab-backup-"));
  beforeAll(async () => {
    source = await createTestDatabase(driver);
    const ws = await seedWorkspace(source.db);
    const owner = ws.users.owner;
    await createStrategy(
      source.db,
      { actor: { type: "user", id: owner.id, label: owner.email }, workspaceId: ws.workspaceId, role: "owner" },
      { code: EXAMPLES["sma-cross"].source },
    );
    await ensureDemoUniverse(source.db, { symbols: 3, years: 1 });
  }, 120_000);
  afterAll(async () => {
    for (const d of opened) await d.close();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const fresh = async () => {
    const d = await createTestDatabase(driver);
    opened.push(d);
    return d;
  };

  it("round-trips every row: counts and checksums per table match, the restore is audited", async () => {
    const before = await tableFigures(source.db);
    expect(before.user.rows).toBe(5);
    expect(before.audit_log.rows).toBeGreaterThan(0);
    expect(
      Object.values(before).some((t) => t.rows > 10),
      "market data is in the backup",
    ).toBe(true);
    const { file, header } = await createBackup(source.db, { kind, url: source.url });
    expect(header.kind).toBe(kind);
    expect(header.tables).toEqual(before);
    expect(header.migrations.count).toBe(shippedMigrations().count);

    const target = await fresh();
    await restoreBackup(target.db, file, { yes: false, url: target.url, actorLabel: "operator:test" });
    const after = await tableFigures(target.db);
    for (const [table, f] of Object.entries(before)) {
      if (table === "audit_log") continue;
      expect(after[table], table).toEqual(f);
    }
    expect(after.audit_log.rows, "the backup's audit trail plus the restore's own record").toBe(
      before.audit_log.rows + 1,
    );
  });

  it("needs --yes over a non-empty database, then replaces its data", async () => {
    const { file } = await createBackup(source.db, { kind, url: source.url });
    const target = await fresh();
    await seedWorkspace(target.db);
    const mine = await tableFigures(target.db);
    await expect(
      restoreBackup(target.db, file, { yes: false, url: target.url, actorLabel: "operator:test" }),
    ).rejects.toThrow(
      /^the target database is not empty \(\d+ rows\); pass --yes to replace its data with the backup$/,
    );
    expect(await tableFigures(target.db), "nothing changed").toEqual(mine);
    await restoreBackup(target.db, file, { yes: true, url: target.url, actorLabel: "operator:test" });
    const after = await tableFigures(target.db);
    const src = await tableFigures(source.db);
    expect(after.user).toEqual(src.user);
    expect(after.workspace).toEqual(src.workspace);
  });

  it("refuses a truncated file, a foreign file and a newer schema, changing nothing", async () => {
    const { file, header } = await createBackup(source.db, { kind, url: source.url });
    const target = await fresh();
    await seedWorkspace(target.db);
    const mine = await tableFigures(target.db);
    const truncated = file.subarray(0, file.length - 100);
    await expect(
      restoreBackup(target.db, truncated, { yes: true, url: target.url, actorLabel: "t", name: "b.bak" }),
    ).rejects.toThrow(
      `b.bak is truncated: ${header.payloadBytes - 100} of ${header.payloadBytes} data bytes are present`,
    );
    await expect(
      restoreBackup(target.db, Buffer.from("PGDMP not ours"), {
        yes: true,
        url: target.url,
        actorLabel: "t",
        name: "x.dump",
      }),
    ).rejects.toThrow('x.dump is not a Strategy Lab backup (it does not start with "STRATEGY-LAB-BACKUP v1")');
    const flipped = Buffer.from(file);
    flipped[flipped.length - 10] ^= 0xff;
    await expect(restoreBackup(target.db, flipped, { yes: true, url: target.url, actorLabel: "t" })).rejects.toThrow(
      /damaged: its data does not match the checksum/,
    );

    const { payload } = readBackup(file);
    const newer = {
      ...header,
      migrations: { count: header.migrations.count + 1, latestTag: "0099_future" },
      appVersion: "9.0.0",
    };
    const future = Buffer.concat([Buffer.from(BACKUP_MAGIC), Buffer.from(`${JSON.stringify(newer)}\n`), payload]);
    const n = shippedMigrations();
    await expect(restoreBackup(target.db, future, { yes: true, url: target.url, actorLabel: "t" })).rejects.toThrow(
      `the backup's schema is newer than this version of Strategy Lab: backup at 0099_future (${n.count + 1} migrations, app 9.0.0), this app at ${n.latestTag} (${n.count} migrations, app 0.1.0); restore it with the newer version`,
    );
    expect(await tableFigures(target.db), "nothing changed").toEqual(mine);
  });

  it("works through the CLI: backup --out, restore refuses without --yes, restore --in --yes", async () => {
    const out = path.join(dir, `cli-${driver}.bak`);
    let env: Record<string, string>;
    let target: TestDatabase | null = null;
    if (driver === "postgres") {
      target = await fresh();
      env = { DATABASE_URL: source.url ?? "" };
    } else {
      // The embedded database of a data folder: the CLI opens it itself.
      env = { DATABASE_URL: "", LAB_DATA_DIR: path.join(dir, "data") };
      const seeded = await lab(
        ["admin", "create-user", "--email", "cli@example.test", "--password", "a long password 1"],
        env,
      );
      expect(seeded.code, seeded.err).toBe(0);
    }
    const b = await lab(["backup", "--out", out], env);
    expect(b.code, b.err).toBe(0);
    const summary = JSON.parse(b.out) as { kind: string; rows: number };
    expect(summary.kind).toBe(kind);
    expect(summary.rows).toBeGreaterThan(0);
    expect(readFileSync(out).subarray(0, BACKUP_MAGIC.length).toString()).toBe(BACKUP_MAGIC);

    const into = driver === "postgres" ? { DATABASE_URL: target?.url ?? "" } : env;
    if (driver === "postgres") {
      const first = await lab(["restore", "--in", out], into);
      expect(first.code, first.err).toBe(0);
    }
    const refused = await lab(["restore", "--in", out], into);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: the target database is not empty \(\d+ rows\); pass --yes/);
    const forced = await lab(["restore", "--in", out, "--yes"], into);
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ verified: true, kind });

    writeFileSync(path.join(dir, "junk.bak"), "hello");
    const junk = await lab(["restore", "--in", path.join(dir, "junk.bak"), "--yes"], into);
    expect(junk.code).toBe(1);
    expect(junk.err).toContain("is not a Strategy Lab backup");
  }, 120_000);
});
