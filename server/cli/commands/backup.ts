/**
 * `npm run lab -- backup --out FILE [--format pg_dump|logical]` and
 * `npm run lab -- restore --in FILE [--yes]` (see server/ops/backup.ts for the file format).
 *
 * Backup format by default: pg_dump for Postgres (DATABASE_URL), logical for the embedded
 * database. Restore refuses a non-empty database without --yes, a damaged or truncated file,
 * and a backup of a newer schema; in each case nothing is changed. Prints one JSON line.
 */
import { writeFile, rename } from "node:fs/promises";
import { env } from "@/lib/env";
import { closeCliDatabase, openCliDatabase } from "@/server/cli/db";
import { BackupError, createBackup, readBackupFile, restoreBackup, type BackupKind } from "@/server/ops/backup";
import { CliError, flag, parseArgs } from "../args";
import { os } from "./admin-os";

async function backup(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["out", "format"] });
  const out = flag(args, "out");
  if (!out) throw new CliError("--out FILE is required");
  const handle = await openCliDatabase();
  const url = env().DATABASE_URL;
  const format = flag(args, "format") ?? (handle.driver !== "pglite" && url ? "pg_dump" : "logical");
  if (format !== "pg_dump" && format !== "logical")
    throw new CliError(`--format must be pg_dump or logical (got "${format}")`);
  if (format === "pg_dump" && !url)
    throw new CliError(
      "--format pg_dump needs DATABASE_URL (the embedded database is backed up with --format logical)",
    );
  const { file, header } = await createBackup(handle.db, { kind: format as BackupKind, url });
  // Written beside, then renamed: an interrupted backup never leaves a half file under the name.
  await writeFile(`${out}.partial`, file);
  await rename(`${out}.partial`, out);
  const rows = Object.values(header.tables).reduce((n, t) => n + t.rows, 0);
  process.stdout.write(
    `${JSON.stringify({ file: out, bytes: file.length, kind: header.kind, tables: Object.keys(header.tables).length, rows, migrations: header.migrations.count })}\n`,
  );
  return 0;
}

async function restore(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["in"], booleans: ["yes"] });
  const input = flag(args, "in");
  if (!input) throw new CliError("--in FILE is required");
  const file = await readBackupFile(input);
  const handle = await openCliDatabase();
  const { header, replacedRows } = await restoreBackup(handle.db, file, {
    yes: flag(args, "yes") === "true",
    url: handle.driver !== "pglite" ? env().DATABASE_URL : undefined,
    actorLabel: `operator:${os.user()}@${os.host()}`,
    name: input,
  });
  const rows = Object.values(header.tables).reduce((n, t) => n + t.rows, 0);
  process.stdout.write(
    `${JSON.stringify({ restored: input, kind: header.kind, createdAt: header.createdAt, rows, replacedRows, verified: true })}\n`,
  );
  return 0;
}

function runner(fn: (argv: string[]) => Promise<number>) {
  return async (argv: string[]): Promise<number> => {
    try {
      return await fn(argv);
    } catch (err) {
      if (err instanceof BackupError) throw new CliError(err.message, 1);
      throw err;
    } finally {
      await closeCliDatabase();
    }
  };
}

export const run = runner(backup);
export const runRestore = runner(restore);
