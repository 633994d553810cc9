/**
 * The one place that reads `process.env`. Every variable is optional: unset values give the
 * embedded default (PGlite in ./.data, offline generator, in-process worker).
 * The domain folders of lib/ must not import this file.
 */
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Postgres URL (server mode). Unset: embedded PGlite in LAB_DATA_DIR. A neon.tech host uses @neondatabase/serverless. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for the embedded database, the generated auth secret and other local state. */
  LAB_DATA_DIR: z.string().default(".data"),
  /** Auth.js secret; generated into LAB_DATA_DIR on first start when unset. */
  AUTH_SECRET: z.string().min(16).optional(),
  /** Previous Auth.js secret(s), comma-separated, still accepted for existing sessions during a rotation window. */
  AUTH_SECRET_PREVIOUS: z.string().optional(),
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
  /** Bearer token for POST /api/jobs/drain (scheduler-driven deployments). Unset: the route answers 404. */
  LAB_CRON_SECRET: z.string().min(16).optional(),
  /** Runs of one workspace executing at once, across all workers. */
  LAB_WORKSPACE_MAX_RUNNING: z.coerce.number().int().positive().default(2),
  /** Runs of one workspace waiting in the queue; starting one more is refused (429). */
  LAB_WORKSPACE_MAX_QUEUED: z.coerce.number().int().positive().default(500),
  /** Jobs one worker process runs at once. */
  LAB_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Optimize studies: a trial still running after this long is presumed lost (its worker died) and handed to another worker. */
  LAB_OPTIMIZE_TRIAL_LEASE_SECONDS: z.coerce.number().int().min(1).default(600),
  /** Optimize studies: helper jobs sent per study so other worker processes take trials too. */
  LAB_OPTIMIZE_HELPERS: z.coerce.number().int().min(0).max(64).default(2),
  /** A worker that stops sending heartbeats for this long has its job retried elsewhere (>= 10). */
  LAB_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(30),
  /** How often the queue supervisor looks for expired or heartbeat-less jobs, in seconds. */
  LAB_QUEUE_MONITOR_SECONDS: z.coerce.number().int().positive().default(15),
  /** SMTP URL (smtp://user:pass@host:587) for alert emails; unset: no email channel. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default("Strategy Lab <alerts@localhost>"),
  /** Seconds between bars of the demo live feed (0 = off). Each tick appends a bar and evaluates alert rules. */
  LAB_DEMO_FEED_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Consecutive failed deliveries after which a webhook channel is disabled. */
  LAB_WEBHOOK_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /** Internal hosts, IPs or CIDRs (comma-separated) that webhooks, workspace LLM base URLs and providers may reach although private/loopback (self-hosted setups). */
  LAB_OUTBOUND_ALLOW: z.string().default(""),
  /** A webhook endpoint that has not answered after this many milliseconds counts as failed. */
  LAB_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** Key (32+ chars) used to encrypt workspace secrets at rest; generated into LAB_DATA_DIR when unset. */
  LAB_ENCRYPTION_KEY: z.string().min(32).optional(),
  /** Previous encryption key(s), comma-separated: stored secrets still decrypt with them until `admin rotate-encryption-key` re-encrypted everything. */
  LAB_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  /** AI providers for strategy generation (all optional; without any, the offline template generator is used). */
  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  GOOGLE_GENERATIVE_AI_API_KEY: z.string().optional(),
  /** Any OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, OpenRouter), e.g. http://127.0.0.1:11434/v1. */
  OPENAI_COMPATIBLE_BASE_URL: z.string().url().optional(),
  OPENAI_COMPATIBLE_API_KEY: z.string().optional(),
  /** Comma-separated model ids: OPENAI_COMPATIBLE_MODELS is required for that endpoint; the others override the built-in lists. */
  OPENAI_COMPATIBLE_MODELS: z.string().optional(),
  OPENAI_MODELS: z.string().optional(),
  ANTHROPIC_MODELS: z.string().optional(),
  GOOGLE_MODELS: z.string().optional(),
  /** Model id ("provider:model", or "offline:template") preselected in the Lab. */
  LAB_DEFAULT_MODEL: z.string().optional(),
  /** Timeout of one model call, ms. */
  LAB_AI_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** Market data providers (all off unless configured). Yahoo chart API needs no key but is unofficial: opt in. */
  LAB_YAHOO_ENABLED: bool.default(false),
  /** Polygon.io / Massive API key; POLYGON_BASE_URL overrides the host (e.g. https://api.massive.com). */
  POLYGON_API_KEY: z.string().optional(),
  POLYGON_BASE_URL: z.string().url().optional(),
  /** Alpha Vantage API key: daily prices, fundamentals (OVERVIEW + EARNINGS) and currency pairs (provider `alphavantage-fx`); free tier: 5 requests a minute, 25 a day. */
  ALPHAVANTAGE_API_KEY: z.string().optional(),
  /** FRED (St. Louis Fed) API key: macro series (DGS10, UNRATE, …) that strategies read as extra inputs. */
  FRED_API_KEY: z.string().optional(),
  /** ccxt exchange id(s), comma-separated (e.g. "binance"): crypto bars through the ccxt package, provider `ccxt:<id>`. */
  LAB_CCXT_EXCHANGE: z.string().optional(),
  /** Alpaca market data key pair; ALPACA_DATA_FEED picks the feed ("iex" on free plans, "sip"). */
  ALPACA_KEY_ID: z.string().optional(),
  ALPACA_SECRET_KEY: z.string().optional(),
  ALPACA_DATA_FEED: z.string().optional(),
  /** Lifetime of cached provider responses, seconds (0 = no cache). */
  LAB_PROVIDER_CACHE_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Most provider responses each provider keeps in its in-memory cache (least recently used evicted first). */
  LAB_PROVIDER_CACHE_ENTRIES: z.coerce.number().int().min(1).default(100),
  /** Outbound calls per minute to each market-data provider (Yahoo, Polygon, Alpaca, Alpha Vantage, each ccxt exchange). */
  LAB_PROVIDER_RPM: z.coerce.number().int().positive().default(50),
  /** Megabytes of stored bars kept decoded-ready in each process for fast repeated loads (0 = off). */
  LAB_DATA_CACHE_MB: z.coerce.number().int().min(0).default(160),
  /** Bearer token for GET /metrics (app) and the worker metrics port. Unset: the endpoint answers 404. */
  LAB_METRICS_TOKEN: z.string().min(16).optional(),
  /** Port on which `npm run worker` serves /metrics (unset: no metrics server in workers; 0 = any free port). */
  LAB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Seconds between refreshes of database-backed gauges (queue depth, strategies by state, DB size). */
  LAB_METRICS_REFRESH_SECONDS: z.coerce.number().int().positive().default(60),
  /** Log output: "json" (one object per line) or "pretty"; default pretty in embedded development, JSON otherwise. */
  LAB_LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Lowest level logged: trace, debug, info, warn, error, fatal. */
  LAB_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Consecutive failures of an outbound dependency (LLM, market data, webhook, SMTP) that open its circuit breaker. */
  LAB_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  /** Seconds an open breaker waits before letting one trial call through (half-open). */
  LAB_BREAKER_COOLDOWN_SECONDS: z.coerce.number().int().positive().default(30),
  /** Attempts per outbound call (first included), with exponential backoff and jitter between them. */
  LAB_OUTBOUND_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Outbound calls per minute per dependency (each LLM provider, market-data provider, webhooks, SMTP). */
  LAB_OUTBOUND_RPM: z.coerce.number().int().positive().default(50),
  /** Seconds that in-flight requests and running jobs get to finish on SIGTERM; then jobs are handed back to the queue. */
  LAB_SHUTDOWN_SECONDS: z.coerce.number().int().positive().default(20),
  /** Days finished runs (with their results) are kept; 0 = forever. The audit log is never pruned. */
  LAB_RETAIN_RUNS_DAYS: z.coerce.number().int().min(0).default(180),
  /** Days notifications and finished alert deliveries are kept; 0 = forever. */
  LAB_RETAIN_NOTIFICATIONS_DAYS: z.coerce.number().int().min(0).default(90),
  /** Days expired, used or revoked invites are kept; 0 = forever. */
  LAB_RETAIN_INVITES_DAYS: z.coerce.number().int().min(0).default(30),
  /** Folder for scheduled backups (unset: none); only workers with it set take the backup job. */
  LAB_BACKUP_DIR: z.string().optional(),
  /** Scheduled backups kept in LAB_BACKUP_DIR (older ones are deleted). */
  LAB_BACKUP_KEEP: z.coerce.number().int().positive().default(7),
  /** When scheduled backups run (5-field cron, UTC). */
  LAB_BACKUP_CRON: z.string().default("30 2 * * *"),
  /** When hydrated universes refresh their missing bars from their provider (5-field cron, UTC; "off" = never). */
  LAB_DATA_REFRESH_CRON: z.string().default("0 6 * * *"),
  /** Allowed share of failed runs and outbound calls over a rolling hour (error budget). */
  LAB_ERROR_BUDGET: z.coerce.number().min(0).max(1).default(0.05),
  /** Build directory of the app (read for the build id in /api/health/ready). */
  LAB_NEXT_DIST_DIR: z.string().default(".next"),
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

/** Every variable the app reads (README.md documents each one; a test checks it). */
export const ENV_KEYS: readonly string[] = Object.keys(schema.shape);
