import "server-only";
/**
 * Structured logs (pino): JSON lines in server mode, readable lines in development
 * (LAB_LOG_FORMAT overrides). One root logger per process, on globalThis.
 *
 * Every line carries the context of the code that wrote it (./log-context.ts): `requestId` for
 * a request (set by the custom server), `runId`/`jobId` for a run (set by the worker), and a
 * `subsystem`. `console.*` calls of the app's own code are routed here too once
 * {@link installConsoleBridge} ran, so "[jobs] …"-style lines become `subsystem: "jobs"`.
 *
 * Redaction, in three layers: (1) keys that name secrets (password, token, apiKey, secret,
 * authorization, cookie, …) at any depth; (2) the configured secret values themselves
 * (AUTH_SECRET, LAB_ENCRYPTION_KEY, provider keys, SMTP password, …) wherever they appear in
 * a string; (3) shapes of secrets (our API keys `sl_…`, `sk-…` provider keys, Bearer tokens,
 * passwords in URLs).
 */
import { format } from "node:util";
import { Writable } from "node:stream";
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";
import { metrics } from "./metrics";
import { currentLogContext } from "./log-context";

const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key|encryption[-_]?key|^key$|ciphertext|session/i;
const SHAPES: RegExp[] = [
  /\bsl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,}/g, // our API keys
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, // OpenAI/Anthropic-style provider keys
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(?<=:\/\/[^\s:/@]*:)[^\s@/]+(?=@)/g, // password in a URL
  /(?<=[?&](?:token|key|api[-_]?key|secret|password|sig|signature|access[-_]?token)=)[^&#\s"']+/gi, // secrets in query strings
];
const REDACTED = "[redacted]";

/** The secret values configured for this process (never logged, whatever key they sit under). */
function configuredSecrets(): string[] {
  const e = env();
  const values = [
    e.AUTH_SECRET,
    e.LAB_ENCRYPTION_KEY,
    e.LAB_METRICS_TOKEN,
    e.LAB_CRON_SECRET,
    e.OPENAI_API_KEY,
    e.ANTHROPIC_API_KEY,
    e.GOOGLE_GENERATIVE_AI_API_KEY,
    e.OPENAI_COMPATIBLE_API_KEY,
    e.POLYGON_API_KEY,
    e.ALPACA_SECRET_KEY,
    e.AUTH_GITHUB_SECRET,
    e.AUTH_GOOGLE_SECRET,
  ];
  if (e.SMTP_URL) {
    try {
      values.push(decodeURIComponent(new URL(e.SMTP_URL).password));
    } catch {
      // unparsable: the shape rule still catches user:pass@
    }
  }
  return values.filter((v): v is string => typeof v === "string" && v.length >= 6);
}

const EXTRA = Symbol.for("strategy-lab.log-secrets");
type G = typeof globalThis & { [EXTRA]?: Set<string> };

/** Also scrub `value` from every later line (secrets read at run time: workspace provider keys, webhook secrets). */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < 6) return;
  const g = globalThis as G;
  (g[EXTRA] ??= new Set()).add(value);
}

/** `text` with every known secret value and secret shape replaced. */
export function scrub(text: string): string {
  let out = text;
  for (const secret of [...configuredSecrets(), ...((globalThis as G)[EXTRA] ?? [])]) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const re of SHAPES)
    out = out.replace(re, (m) => (/^(Bearer|Basic)\s/i.test(m) ? `${m.split(/\s+/)[0]} ${REDACTED}` : REDACTED));
  return out;
}

/** A copy of `value` with secret-named keys and secret strings redacted (bounded depth; cycles cut). */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrub(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8 || seen.has(value)) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = {
      type: value.name,
      message: scrub(value.message),
      stack: value.stack ? scrub(value.stack) : undefined,
    };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] =
      SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== "boolean"
        ? REDACTED
        : redact(v, depth + 1, seen);
  return out;
}

function wantsPretty(): boolean {
  const e = env();
  if (e.LAB_LOG_FORMAT) return e.LAB_LOG_FORMAT === "pretty";
  return e.NODE_ENV === "development" && !e.DATABASE_URL;
}

async function prettyStream(): Promise<DestinationStream | null> {
  try {
    const { default: pretty } = await import("pino-pretty");
    return pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" });
  } catch {
    return null; // pino-pretty is a dev dependency: a production install logs JSON
  }
}

function build(destination: DestinationStream): Logger {
  return pino(
    {
      level: env().LAB_LOG_LEVEL,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (obj) => redact(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Strings are scrubbed wherever they sit in the call (message or format arguments).
          method.apply(this, args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
      // Ids of the request or run this line belongs to; the subsystem comes from the child binding.
      mixin: () => {
        const { subsystem: _subsystem, ...ids } = currentLogContext();
        return ids;
      },
      serializers: { err: (e: unknown) => redact(e) },
    },
    destination,
  );
}

const ROOT = Symbol.for("strategy-lab.logger");
type GL = typeof globalThis & { [ROOT]?: Logger };

/** The process's root logger (JSON to stdout until {@link configureLogging} picks the format). */
export function logger(): Logger {
  const g = globalThis as GL;
  g[ROOT] ??= build(pino.destination({ fd: 1, sync: true }));
  return g[ROOT];
}

/** A logger for one subsystem ("jobs", "http", "alerts", …). */
export function log(subsystem: string): Logger {
  return logger().child({ subsystem });
}

/** Choose the output: pretty in development, JSON otherwise; or write to `destination` (tests). */
export async function configureLogging(destination?: DestinationStream): Promise<Logger> {
  const g = globalThis as GL;
  const out = destination ?? (wantsPretty() ? await prettyStream() : null) ?? pino.destination({ fd: 1, sync: true });
  g[ROOT] = build(out);
  return g[ROOT];
}

/** Count an error by its stable code (AppError/SandboxError code, else "INTERNAL") and log it. */
export function logError(l: Logger, err: unknown, message: string): void {
  const code = errorCode(err);
  metrics().errors.inc({ code });
  l.error({ err, code }, message);
}

/** The stable code of an error: its `code` when it is an upper-case identifier, else INTERNAL. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : "INTERNAL";
}

const BRIDGED = Symbol.for("strategy-lab.console-bridged");

/**
 * Route console.log/info/warn/error/debug through the logger: a leading "[subsystem]" becomes
 * the `subsystem` field, Error arguments become `err` (counted by code when logged as errors).
 */
export function installConsoleBridge(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[BRIDGED]) return;
  g[BRIDGED] = true;
  const levels = { log: "info", info: "info", warn: "warn", error: "error", debug: "debug" } as const;
  for (const [method, level] of Object.entries(levels) as [
    keyof typeof levels,
    "info" | "warn" | "error" | "debug",
  ][]) {
    console[method] = (...args: unknown[]) => {
      const err = args.find((a): a is Error => a instanceof Error);
      // Objects are redacted by key before they are formatted into the message.
      const rest = args.filter((a) => a !== err).map((a) => (a !== null && typeof a === "object" ? redact(a) : a));
      let text = rest.length ? format(...rest) : (err?.message ?? "");
      let subsystem = currentLogContext().subsystem ?? "app";
      const tag = /^\[([a-z][\w-]*)\]\s*/i.exec(text);
      if (tag?.[1]) {
        subsystem = tag[1];
        text = text.slice(tag[0].length);
      }
      const l = logger().child({ subsystem });
      if (level === "error" && err) logError(l, err, text);
      else if (err) l[level]({ err }, text);
      else l[level](text);
    };
  }
}

/** A writable that collects lines (tests read what was logged). */
export function memoryDestination(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}
