import "server-only";
/**
 * Backups of the app's data (schemas `public` and `drizzle`; the job queue's schema is rebuilt
 * by pg-boss and is not included). One file format for both databases:
 *
 *   STRATEGY-LAB-BACKUP v1\n
 *   {header JSON}\n
 *   payload
 *
 * The header names the payload kind — `pg_dump` (custom format, Postgres, taken with the same
 * snapshot as the header's figures) or `logical` (gzip'd JSON lines of every row; the embedded
 * database, or any database with `--format logical`) — the schema version (migrations), the
 * app version, every table's row count and checksum, and the payload's length and SHA-256.
 *
 * Restore checks everything it can before touching the database: the magic line, the header,
 * the payload's length (truncation) and hash, the schema version (a newer one is refused with
 * both versions named), and that the target is empty unless `yes`. A logical restore runs in
 * one transaction and verifies every table's count and checksum before it commits; pg_restore
 * runs with --single-transaction and is verified afterwards.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/server/db";
import { auditLog } from "@/server/db/schema";
import { appliedMigrations, shippedMigrations } from "./readiness";
import { APP_VERSION } from "./version";
import { rowsOf } from "@/server/db/rows";

export const BACKUP_MAGIC = "STRATEGY-LAB-BACKUP v1\n";

export type BackupKind = "pg_dump" | "logical";

export interface TableFigures {
  rows: number;
  /** md5 over the sorted md5s of every row's text form: independent of row order. */
  checksum: string;
}

export interface BackupHeader {
  format: 1;
  kind: BackupKind;
  createdAt: string;
  appVersion: string;
  migrations: { count: number; latestTag: string };
  tables: Record<string, TableFigures>;
  payloadBytes: number;
  payloadSha256: string;
}

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/** The app's tables (schema public), by name. */
export async function listTables(db: DbOrTx): Promise<string[]> {
  const rows = rowsOf(
    await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    ),
  );
  return rows.map((r) => String(r.table_name));
}

/** Row count and order-independent checksum of every app table. */
export async function tableFigures(db: DbOrTx): Promise<Record<string, TableFigures>> {
  const out: Record<string, TableFigures> = {};
  for (const table of await listTables(db)) {
    const [row] = rowsOf(
      await db.execute(
        sql`select count(*)::int as n, coalesce(md5(string_agg(h, '' order by h)), '') as c from (select md5(t::text) as h from public.${ident(table)} t) s`,
      ),
    );
    out[table] = { rows: Number(row?.n ?? 0), checksum: String(row?.c ?? "") };
  }
  return out;
}

// 1. Writing ---------------------------------------------------------------------------------

function encode(header: Omit<BackupHeader, "payloadBytes" | "payloadSha256">, payload: Buffer): Buffer {
  const full: BackupHeader = {
    ...header,
    payloadBytes: payload.length,
    payloadSha256: createHash("sha256").update(payload).digest("hex"),
  };
  return Buffer.concat([Buffer.from(BACKUP_MAGIC), Buffer.from(`${JSON.stringify(full)}\n`), payload]);
}

/**
 * The logical payload: for each table, in an order where referenced tables come first, a
 * `{"table": …}` line and one `row_to_json` line per row; gzip'd as it is produced, so only one
 * page of rows and the compressed output are held in memory.
 */
async function logicalPayload(tx: DbOrTx, tables: string[]): Promise<Buffer> {
  const { order } = await insertOrder(tx, tables);
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    gzip.once("end", resolve);
    gzip.once("error", reject);
  });
  const write = async (text: string) => {
    if (!gzip.write(text)) await new Promise((resolve) => gzip.once("drain", resolve));
  };
  const PAGE = 200;
  for (const table of order) {
    await write(`${JSON.stringify({ table })}\n`);
    for (let offset = 0; ; offset += PAGE) {
      const rows = rowsOf(
        await tx.execute(
          sql`select row_to_json(t)::text as j from public.${ident(table)} t order by t.ctid limit ${PAGE} offset ${offset}`,
        ),
      );
      for (const r of rows) await write(`${String(r.j)}\n`);
      if (rows.length < PAGE) break;
    }
  }
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

function run(cmd: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) =>
      reject(
        new BackupError(
          `${cmd} could not be started (${e.message}); install the PostgreSQL client tools or use --format logical`,
        ),
      ),
    );
    child.on("close", (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim().split("\n").slice(-3).join(" ")}`)),
    );
    child.stdin.end(input);
  });
}

/** Take a backup of `db`. `url` is required for `pg_dump`. */
export async function createBackup(
  db: Db,
  opts: { kind: BackupKind; url?: string; now?: Date },
): Promise<{ file: Buffer; header: BackupHeader }> {
  const shipped = shippedMigrations();
  let result: Buffer | null = null;
  await db.transaction(
    async (tx) => {
      const tables = await listTables(tx);
      const figures = await tableFigures(tx);
      const applied = await appliedMigrations(tx as unknown as Db);
      const migrations = {
        count: applied.count,
        latestTag: applied.count === shipped.count ? shipped.latestTag : `migration ${applied.count}`,
      };
      let payload: Buffer;
      if (opts.kind === "pg_dump") {
        if (!opts.url) throw new BackupError("pg_dump needs DATABASE_URL (a Postgres database)");
        // Same snapshot as the figures above: the header describes exactly what is in the dump.
        const [snap] = rowsOf(await tx.execute(sql`select pg_export_snapshot() as s`));
        payload = await run("pg_dump", [
          "--format=custom",
          "--no-owner",
          "--no-privileges",
          "--schema=public",
          "--schema=drizzle",
          `--snapshot=${String(snap?.s)}`,
          `--dbname=${opts.url}`,
        ]);
      } else {
        payload = await logicalPayload(tx, tables);
      }
      result = encode(
        {
          format: 1,
          kind: opts.kind,
          createdAt: (opts.now ?? new Date()).toISOString(),
          appVersion: APP_VERSION,
          migrations,
          tables: figures,
        },
        payload,
      );
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  if (!result) throw new BackupError("the backup produced nothing");
  const file: Buffer = result;
  return { file, header: readBackup(file).header };
}

// 2. Reading and checking --------------------------------------------------------------------

/** Parse and check a backup file's framing; throws {@link BackupError} naming the problem. */
export function readBackup(file: Buffer, name = "the file"): { header: BackupHeader; payload: Buffer } {
  if (!file.subarray(0, BACKUP_MAGIC.length).equals(Buffer.from(BACKUP_MAGIC)))
    throw new BackupError(`${name} is not a Strategy Lab backup (it does not start with "${BACKUP_MAGIC.trim()}")`);
  const end = file.indexOf(0x0a, BACKUP_MAGIC.length);
  if (end < 0) throw new BackupError(`${name} is truncated: its header is incomplete`);
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(BACKUP_MAGIC.length, end).toString("utf8")) as BackupHeader;
  } catch {
    throw new BackupError(`${name} has an unreadable header (not JSON); it is damaged`);
  }
  if (
    header.format !== 1 ||
    (header.kind !== "pg_dump" && header.kind !== "logical") ||
    typeof header.payloadBytes !== "number" ||
    !header.migrations ||
    !header.tables
  )
    throw new BackupError(`${name} has a header this version cannot read (format ${String(header.format)})`);
  const payload = file.subarray(end + 1);
  if (payload.length < header.payloadBytes)
    throw new BackupError(`${name} is truncated: ${payload.length} of ${header.payloadBytes} data bytes are present`);
  if (payload.length > header.payloadBytes)
    throw new BackupError(
      `${name} has ${payload.length - header.payloadBytes} bytes more than its header declares; it is damaged`,
    );
  if (createHash("sha256").update(payload).digest("hex") !== header.payloadSha256)
    throw new BackupError(`${name} is damaged: its data does not match the checksum in its header`);
  return { header, payload };
}

/** Refuse a backup whose schema this build cannot take. */
export function checkSchemaVersion(header: BackupHeader): void {
  const shipped = shippedMigrations();
  if (header.migrations.count > shipped.count)
    throw new BackupError(
      `the backup's schema is newer than this version of Strategy Lab: backup at ${header.migrations.latestTag} (${header.migrations.count} migrations, app ${header.appVersion}), this app at ${shipped.latestTag} (${shipped.count} migrations, app ${APP_VERSION}); restore it with the newer version`,
    );
  if (header.kind === "logical" && header.migrations.count < shipped.count)
    throw new BackupError(
      `this logical backup's schema is older than this version of Strategy Lab: backup at ${header.migrations.latestTag} (${header.migrations.count} migrations, app ${header.appVersion}), this app at ${shipped.latestTag} (${shipped.count} migrations); restore it with app ${header.appVersion}, then upgrade`,
    );
}

// 3. Restoring -------------------------------------------------------------------------------

/** Tables in an order where every referenced table comes before the tables referencing it. */
async function insertOrder(tx: DbOrTx, tables: string[]): Promise<{ order: string[]; selfReferencing: Set<string> }> {
  const edges = rowsOf(
    await tx.execute(
      sql`select c.relname as child, p.relname as parent from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace where k.contype = 'f' and n.nspname = 'public'`,
    ),
  ).map((r) => ({ child: String(r.child), parent: String(r.parent) }));
  const selfReferencing = new Set(edges.filter((e) => e.child === e.parent).map((e) => e.child));
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (t: string, stack: Set<string>) => {
    if (done.has(t) || stack.has(t)) return;
    stack.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(e.parent, stack);
    stack.delete(t);
    done.add(t);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return { order, selfReferencing };
}

/** The payload's lines, decompressed as they are read: `{table}` marker lines and row lines. */
async function* logicalLines(payload: Buffer): AsyncGenerator<string> {
  const lines = createInterface({ input: Readable.from([payload]).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield line;
}

async function restoreLogical(
  db: Db,
  header: BackupHeader,
  payload: Buffer,
  audit: (tx: DbOrTx) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const tables = await listTables(tx);
    const missing = Object.keys(header.tables).filter((t) => !tables.includes(t));
    if (missing.length)
      throw new BackupError(
        `the target database has no table ${missing.join(", ")}; restore with the matching app version`,
      );
    // The audit log refuses TRUNCATE by trigger; a restore replaces it with the backup's copy.
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
    await tx.execute(
      sql.raw(`truncate ${tables.map((t) => `public."${t.replace(/"/g, '""')}"`).join(", ")} restart identity cascade`),
    );
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
    // Tables arrive parents first (the backup wrote them in that order); rows go in by batches
    // of at most 500 rows or 8 MB, except a table referencing itself, which goes in whole.
    const { selfReferencing } = await insertOrder(tx, tables);
    let table: string | null = null;
    let batch: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (table === null || batch.length === 0) return;
      const json = `[${batch.join(",")}]`;
      batch = [];
      bytes = 0;
      await tx.execute(
        sql`insert into public.${ident(table)} select * from json_populate_recordset(null::public.${ident(table)}, ${json}::json)`,
      );
    };
    for await (const line of logicalLines(payload)) {
      if (line.startsWith('{"table":')) {
        await flush();
        table = (JSON.parse(line) as { table: string }).table;
        if (!tables.includes(table))
          throw new BackupError(`the target database has no table ${table}; restore with the matching app version`);
        continue;
      }
      batch.push(line);
      bytes += line.length;
      if (table !== null && !selfReferencing.has(table) && (batch.length >= 500 || bytes >= 8_000_000)) await flush();
    }
    await flush();
    const sequences = rowsOf(
      await tx.execute(
        sql`select table_name, column_name, pg_get_serial_sequence(format('public.%I', table_name), column_name) as seq from information_schema.columns where table_schema = 'public' and column_default like 'nextval(%'`,
      ),
    );
    for (const s of sequences) {
      if (!s.seq) continue;
      await tx.execute(
        sql`select setval(${String(s.seq)}, coalesce((select max(${ident(String(s.column_name))}) from public.${ident(String(s.table_name))}), 0) + 1, false)`,
      );
    }
    await verify(tx, header);
    await audit(tx);
  });
}

/** Every table of the backup has its row count and checksum in `db` (else BackupError). */
async function verify(db: DbOrTx, header: BackupHeader): Promise<void> {
  const now = await tableFigures(db);
  const wrong = Object.entries(header.tables).filter(
    ([t, f]) => now[t]?.rows !== f.rows || now[t]?.checksum !== f.checksum,
  );
  if (wrong.length)
    throw new BackupError(
      `verification failed after restore for ${wrong.map(([t, f]) => `${t} (${now[t]?.rows ?? 0} rows, expected ${f.rows})`).join(", ")}`,
    );
}

/** Rows in the app's tables (0 = a fresh database). */
export async function countRows(db: DbOrTx): Promise<number> {
  const figures = await tableFigures(db);
  return Object.values(figures).reduce((n, f) => n + f.rows, 0);
}

export interface RestoreOptions {
  /** Allow replacing a database that has data. */
  yes: boolean;
  /** Postgres URL, needed for pg_dump backups. */
  url?: string;
  /** Who restored (audit). */
  actorLabel: string;
  name?: string;
}

/** Restore `file` into `db`. Nothing is changed when any check fails. */
export async function restoreBackup(
  db: Db,
  file: Buffer,
  opts: RestoreOptions,
): Promise<{ header: BackupHeader; replacedRows: number }> {
  const { header, payload } = readBackup(file, opts.name);
  checkSchemaVersion(header);
  const existing = await countRows(db);
  if (existing > 0 && !opts.yes)
    throw new BackupError(
      `the target database is not empty (${existing} rows); pass --yes to replace its data with the backup`,
    );
  const audit = async (tx: DbOrTx) => {
    await tx.insert(auditLog).values({
      workspaceId: null,
      actorType: "operator",
      actorId: null,
      actorLabel: opts.actorLabel,
      action: "backup.restored",
      targetType: "database",
      targetId: null,
      metadata: {
        createdAt: header.createdAt,
        kind: header.kind,
        migrations: header.migrations.count,
        replacedRows: existing,
      },
    });
  };
  if (header.kind === "logical") {
    await restoreLogical(db, header, payload, audit);
  } else {
    if (!opts.url) throw new BackupError("this backup was made with pg_dump; restore it into Postgres (DATABASE_URL)");
    const dir = await mkdtemp(path.join(tmpdir(), "lab-restore-"));
    try {
      const dump = path.join(dir, "payload.dump");
      await writeFile(dump, payload);
      await run("pg_restore", [
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        `--dbname=${opts.url}`,
        dump,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await verify(db, header);
    await audit(db);
  }
  return { header, replacedRows: existing };
}

/** Read a backup file from disk (a missing file is a clear error). */
export async function readBackupFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new BackupError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
}
