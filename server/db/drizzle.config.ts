import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and applied by the app at startup
// (embedded mode) or by `npm run db:migrate` (server mode).
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema/index.ts",
  out: "./drizzle",
});
