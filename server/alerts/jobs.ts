import "server-only";
import type { PgBoss } from "pg-boss";
import type { Db } from "@/server/db";

export async function handleAlertEvaluation(_boss: PgBoss, _db: Db, _data: unknown): Promise<void> {}
export async function handleAlertDelivery(_db: Db, _data: unknown, _meta: { retryCount: number; retryLimit: number }): Promise<void> {}
export async function handleAlertSchedule(_boss: PgBoss, _db: Db, _data: unknown): Promise<void> {}
