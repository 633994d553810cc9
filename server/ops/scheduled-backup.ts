import "server-only";
/**
 * Scheduled backups: when LAB_BACKUP_DIR is set, a worker writes a backup there on
 * LAB_BACKUP_CRON (daily at 02:30 UTC by default) and keeps the newest LAB_BACKUP_KEEP files.
 * Only processes that have the folder configured take the job, so the files land where the
 * operator expects them.
 */
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/server/db";
import { createBackup, type BackupKind } from "./backup";

const NAME = /^lab-\d{8}T\d{6}Z\.bak$/;

/** Write one backup into `dir` and delete all but the newest `keep`. Returns the file and what was removed. */
export async function runScheduledBackup(
  db: Db,
  opts: { dir: string; keep: number; kind: BackupKind; url?: string; now?: Date },
): Promise<{ file: string; bytes: number; removed: string[] }> {
  const now = opts.now ?? new Date();
  await mkdir(opts.dir, { recursive: true });
  const { file } = await createBackup(db, { kind: opts.kind, url: opts.url, now });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const target = path.join(opts.dir, `lab-${stamp}.bak`);
  await writeFile(`${target}.partial`, file);
  await rename(`${target}.partial`, target);
  const names = (await readdir(opts.dir))
    .filter((n) => NAME.test(n))
    .sort()
    .reverse();
  const removed = names.slice(Math.max(1, opts.keep));
  for (const n of removed) await rm(path.join(opts.dir, n), { force: true });
  return { file: target, bytes: file.length, removed };
}
