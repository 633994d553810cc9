/**
 * The one place that reads `process.env`. Every variable is optional: unset values give the
 * embedded default (PGlite in ./.data, offline generator, in-process worker).
 * The domain folders of lib/ must not import this file.
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Postgres URL (server mode). Unset: embedded PGlite in LAB_DATA_DIR. A neon.tech host uses @neondatabase/serverless. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for the embedded database, the generated auth secret and other local state. */
  LAB_DATA_DIR: z.string().default(".data"),
  /** Auth.js secret; generated into LAB_DATA_DIR on first start when unset. */
  AUTH_SECRET: z.string().min(16).optional(),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  AUTH_GOOGLE_ID: z.string().optional(),
  AUTH_GOOGLE_SECRET: z.string().optional(),
  /** Public base URL used in invite and report links. */
  APP_URL: z.string().url().optional(),
  /** Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed. */
  LAB_TRUSTED_PROXIES: z.string().default(""),
  /** Run a job worker inside the app process (default true). */
  LAB_IN_PROCESS_WORKER: bool.default(true),
  /** Sign-in attempts per 15 minutes, per IP and per account. */
  LAB_SIGNIN_LIMIT: z.coerce.number().int().positive().default(10),
  /** Requests per minute per API key. */
  LAB_API_KEY_RPM: z.coerce.number().int().positive().default(600),
  /** tRPC requests per minute per signed-in user. */
  LAB_USER_RPM: z.coerce.number().int().positive().default(1200),
  /** Sign-ups per hour per IP. */
  LAB_SIGNUP_PER_HOUR: z.coerce.number().int().positive().default(20),
  /** Runs started per hour per workspace. */
  LAB_RUNS_PER_HOUR: z.coerce.number().int().positive().default(600),
  /** LLM tokens per day per workspace. */
  LAB_LLM_TOKENS_PER_DAY: z.coerce.number().int().positive().default(2_000_000),
  /** Key (32+ chars) used to encrypt workspace secrets at rest; generated into LAB_DATA_DIR when unset. */
  LAB_ENCRYPTION_KEY: z.string().min(32).optional(),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = process.env[key];
    raw[key] = value === "" ? undefined : value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** Validated environment, read once. */
export function env(): Env {
  cached ??= load();
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
