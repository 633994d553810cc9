/** `npm run db:migrate`: apply the SQL migrations in drizzle/ to DATABASE_URL (or the embedded database). */
import { closeDatabase, getDatabase } from "@/server/db";

const handle = await getDatabase();
console.log(`migrations applied (${handle.driver})`);
await closeDatabase();
