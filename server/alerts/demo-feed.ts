import "server-only";
import type { PgBoss } from "pg-boss";
import type { Db } from "@/server/db";

export async function handleDemoFeedTick(_boss: PgBoss, _db: Db): Promise<void> {}
export async function scheduleDemoFeed(_boss: PgBoss, _seconds: number): Promise<void> {}
