/**
 * The local data folder of the embedded mode: PGlite files, the generated secrets and the
 * lock that tells other processes (CLI, worker) that the app owns the database.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

export function dataDir(): string {
  const dir = path.resolve(env().LAB_DATA_DIR);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function pgliteDir(): string {
  return path.join(dataDir(), "pglite");
}

/** A secret kept in the data folder, created with 32 random bytes the first time it is asked for. */
export function localSecret(name: string): string {
  const file = path.join(dataDir(), `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = randomBytes(32).toString("base64url");
  writeFileSync(file, value, { mode: 0o600, flag: "wx" });
  return value;
}

export interface DbLock {
  pid: number;
  /** Port of the PGlite socket server through which other processes reach the database. */
  port: number;
  startedAt: string;
}

const lockFile = () => path.join(dataDir(), "db.lock.json");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live lock of another process, or null (a stale lock of a dead process is removed). */
export function readLock(): DbLock | null {
  const file = lockFile();
  if (!existsSync(file)) return null;
  try {
    const lock = JSON.parse(readFileSync(file, "utf8")) as DbLock;
    if (lock.pid !== process.pid && alive(lock.pid)) return lock;
  } catch {
    // unreadable lock: treat as stale
  }
  rmSync(file, { force: true });
  return null;
}

export function writeLock(port: number): void {
  const lock: DbLock = { pid: process.pid, port, startedAt: new Date().toISOString() };
  writeFileSync(lockFile(), JSON.stringify(lock));
  const release = () => {
    try {
      const current = JSON.parse(readFileSync(lockFile(), "utf8")) as DbLock;
      if (current.pid === process.pid) rmSync(lockFile(), { force: true });
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
}
