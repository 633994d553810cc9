/**
 * Database access for command-line tools. Same rules as the app: when the app owns the
 * embedded database, the CLI goes through its loopback socket instead of opening the folder.
 */
import { closeDatabase, getDatabase, type DatabaseHandle } from "@/server/db";

export async function openCliDatabase(): Promise<DatabaseHandle> {
  return getDatabase();
}

export async function closeCliDatabase(): Promise<void> {
  await closeDatabase();
}
