import "server-only";
import type { Db } from "@/server/db";

export async function handleScreenSchedule(_db: Db, _data: unknown): Promise<void> {}
