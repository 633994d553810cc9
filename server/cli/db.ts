/**
 * Database access for command-line tools. Same rules as the app: when the app owns the
 * embedded database, the CLI goes through its loopback socket instead of opening the folder.
 */
import { closeDatabase, getDatabase, isDatabaseInstalledForTests, type DatabaseHandle } from "@/server/db";

export async function openCliDatabase(): Promise<DatabaseHandle> {
  return getDatabase();
}

/** Close the database the command opened; a handle a test installed stays open for the test's next command. */
export async function closeCliDatabase(): Promise<void> {
  if (await isDatabaseInstalledForTests()) return;
  await closeDatabase();
}
