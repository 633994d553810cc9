import "server-only";
/** OpenAPI 3.1 document of REST API v1, generated from the same zod schemas the routes validate with. */
import { z, type ZodType } from "zod";
import pkg from "@/package.json";
import {
  createReportBody,
  createRunBody,
  createStrategyBody,
  errorSchema,
  reportCreatedSchema,
  resumeStudyBody,
  runSchema,
  strategyDetailSchema,
  strategySummarySchema,
  studySummarySchema,
  universeSummarySchema,
} from "@/lib/schemas/api-v1";
import { killSwitchBody, lifecycleEventBody } from "@/lib/schemas/lifecycle";

export interface Endpoint {
  method: "get" | "post";
  path: string;
  summary: string;
  scope: "read" | "run" | "admin";
  body?: ZodType;
  /** Media type of the request body (default application/json). */
  bodyType?: "application/json" | "text/csv";
  response: ZodType;
  status?: number;
  stream?: boolean;
  /** Media types of a file response (instead of JSON). */
  fileTypes?: string[];
  /** Query parameters (name → description), all strings. */
  query?: Record<string, { description: string; required?: boolean; enum?: string[] }>;
}

export const ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/strategies",
    summary: "List the workspace's strategies",
    scope: "read",
    response: z.object({ data: z.array(strategySummarySchema) }),
  },
  {
    method: "post",
    path: "/api/v1/strategies",
    summary: "Create a strategy from `code`, or generate it from a `prompt`",
    scope: "run",
    body: createStrategyBody,
    response: strategyDetailSchema,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/strategies/{id}",
    summary: "A strategy with its lifecycle `state` (CANDIDATE, SHADOW, LIVE, DISABLED) and all its versions",
    scope: "read",
    response: strategyDetailSchema,
  },
  {
    method: "post",
    path: "/api/v1/strategies/{id}/lifecycle",
    summary:
      "A lifecycle event: start_shadow (gate: PF > 1.5 and win rate > 45 % on its candidate backtest), promote (SHADOW → LIVE only; 7 days of new bars in SHADOW and fitness >= 70, and the admin scope), disable, reactivate. Illegal for the current state → 409; a gate not met → 422 naming it; answers with the strategy",
    scope: "run",
    body: lifecycleEventBody,
    response: strategySummarySchema,
  },
  {
    method: "get",
    path: "/api/v1/strategies/{id}/studies",
    summary:
      "The strategy's optimization studies (its optimize runs), newest first: method, first objective and direction, finished trials, best feasible value, status and the study it resumed",
    scope: "read",
    response: z.object({ data: z.array(studySummarySchema) }),
  },
  {
    method: "post",
    path: "/api/v1/lifecycle/kill-switch",
    summary:
      "The workspace kill switch: `on: true` disables every LIVE strategy and its alert rules, `on: false` restores exactly those (audited)",
    scope: "admin",
    body: killSwitchBody,
    response: z.object({ kill_switch: z.boolean(), strategies: z.number().int(), alert_rules: z.number().int() }),
  },
  {
    method: "post",
    path: "/api/v1/runs",
    summary:
      'Start a backtest, screen, alert, optimize, improve, evolve, forward or hydrate run (mode "hydrate" takes no strategy, only a `hydrate` object: provider, symbols or all, from, to, quick, fundamentals, universe; an unknown or unconfigured provider (naming the variable to set), an empty or malformed symbol list or a reversed range answers 400 naming the field with nothing queued; its progress stage reads "hydrating done/total symbols, N bars written, ETA Ns" and its `result` has provider, universe, from, to, total, ok, noData, error, bars and symbols [{symbol, status ok|no_data|error, bars, reason}]; mode "forward": the strategy\'s paper results on the bars after `from`, or after the start of its SHADOW forward test, with return_pct, expected_return_pct, max_drawdown_pct; mode "evolve" takes an optional `evolve` object: population, generations, mutation_rate, crossover_rate, seed, min_trades, seed_plans; its `result` has generations [{n, individuals [{id, parents, operator, genome, fitness, metrics, candidate, state}], top_fitness, promoted, candidate_window}] (candidate: the 90-day candidate backtest the SHADOW gate is judged on; state null until it passes), n_evaluated, n_duplicates, best {id, code, fitness} and adopted (individuals filed as SHADOW strategies); mode "optimize" takes a `study`, mode "improve" an `improve` object: iterations, min_return, min_sortino, min_trades, min_win_rate, improvement_threshold, holdout, trials_per_iteration, model, seed); answers at once with its id. An improve run\'s `result` has status met|not_met, iterations, best (validation and holdout metrics), overfitting (n_trials, dsr) and prompt_proposal',
    scope: "run",
    body: createRunBody,
    response: z.object({ run_id: z.string().uuid() }),
    status: 202,
  },
  {
    method: "get",
    path: "/api/v1/runs/{id}",
    summary: "Status, progress and (when done) the result of a run",
    scope: "read",
    response: runSchema,
  },
  {
    method: "get",
    path: "/api/v1/runs/{id}/events",
    summary:
      "Server-sent events with the run's progress until it ends (an optimize run's events carry `trials`: every trial finished since the previous event, each {number, params, state, value, values})",
    scope: "read",
    response: z.string(),
    stream: true,
  },
  {
    method: "post",
    path: "/api/v1/runs/{id}/cancel",
    summary: "Cancel a queued or running run",
    scope: "run",
    response: runSchema,
  },
  {
    method: "post",
    path: "/api/v1/runs/{id}/resume",
    summary:
      "Resume a stopped or finished optimization study with `trials` more trials: a new optimize run (same strategy version, data and study) whose first trials are the study's finished ones; the sampler sees them. A queued or running study, or one whose grid is exhausted, answers 409",
    scope: "run",
    body: resumeStudyBody,
    response: z.object({ run_id: z.string().uuid(), resume_of: z.string().uuid() }),
    status: 202,
  },
  {
    method: "post",
    path: "/api/v1/data/import",
    summary:
      "Import a CSV of daily or intraday bars (`?symbol=S[&timezone=Z][&no_header=true]`, no_header when the file has no header row: columns then read as Date,Open,High,Low,Close[,Volume]; text/csv or multipart `file`), or a Parquet file (application/vnd.apache.parquet body or a multipart `file` named *.parquet; columns timestamp, open, high, low, close[, volume][, symbol], as pandas, pyarrow, polars or DuckDB write it: SNAPPY, GZIP or ZSTD, dictionary-encoded, data page v1 or v2, nullable columns without nulls in these). All or nothing: 422 lists every problem by line (CSV) or row (Parquet), up to 1,000",
    scope: "run",
    body: z.string(),
    bodyType: "text/csv",
    response: z.object({ symbol: z.string(), bars: z.number().int() }).passthrough(),
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/data/universes",
    summary:
      "List the universes the workspace can use, with when their data was last updated: last_bar_at (newest bar of any symbol), oldest_last_bar_at (the symbol furthest behind), last_updated_at (latest write of bars), list_updated_at (symbol list change)",
    scope: "read",
    response: z.object({ data: z.array(universeSummarySchema) }),
  },
  {
    method: "get",
    path: "/api/v1/data/universes/{name}/export",
    summary:
      "Export every bar of a universe's symbols as one file with a symbol column (CSV Symbol,Date,Open,High,Low,Close,Volume or Parquet symbol,timestamp,open,high,low,close,volume; values round-trip exactly)",
    scope: "read",
    response: z.string(),
    fileTypes: ["text/csv", "application/vnd.apache.parquet"],
    query: { format: { description: "File format", required: true, enum: ["csv", "parquet"] } },
  },
  {
    method: "post",
    path: "/api/v1/reports",
    summary: "Publish a read-only report of a finished backtest",
    scope: "run",
    body: createReportBody,
    response: reportCreatedSchema,
    status: 201,
  },
];

const ERRORS: Record<string, string> = {
  "400": "Invalid input",
  "401": "Missing, unknown, revoked or expired API key",
  "403": "The key's scopes do not allow this",
  "404": "Not found (objects of other workspaces look missing too)",
  "409": "Conflict with the current state",
  "422": "Well-formed but unprocessable (e.g. the strategy code was rejected)",
  "429": "Rate limit exceeded; see Retry-After",
};

function schema(s: ZodType) {
  return z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
}

export function openApiDocument(baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const params: Record<string, unknown>[] = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: m[1] === "id" ? { type: "string", format: "uuid" } : { type: "string" },
    }));
    for (const [name, q] of Object.entries(e.query ?? {}))
      params.push({
        name,
        in: "query",
        required: q.required ?? false,
        description: q.description,
        schema: { type: "string", ...(q.enum ? { enum: q.enum } : {}) },
      });
    const errors = Object.fromEntries(
      Object.entries(ERRORS).map(([code, description]) => [
        code,
        { description, content: { "application/json": { schema: schema(errorSchema) } } },
      ]),
    );
    paths[e.path] ??= {};
    paths[e.path][e.method] = {
      summary: e.summary,
      description: `Requires an API key with the \`${e.scope}\` scope.`,
      security: [{ bearer: [] }],
      parameters: params,
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: { [e.bodyType ?? "application/json"]: { schema: schema(e.body) } },
            },
          }
        : {}),
      responses: {
        [String(e.status ?? 200)]: {
          description: "OK",
          content: e.stream
            ? { "text/event-stream": { schema: { type: "string" } } }
            : e.fileTypes
              ? Object.fromEntries(e.fileTypes.map((t) => [t, { schema: { type: "string", format: "binary" } }]))
              : { "application/json": { schema: z.toJSONSchema(e.response, { unrepresentable: "any" }) } },
        },
        ...errors,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Strategy Lab API",
      version: pkg.version,
      description: "Bearer-key authenticated API for scripts. The key decides the workspace.",
    },
    servers: [{ url: baseUrl }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key (sl_…) created by a workspace admin." },
      },
    },
    paths,
  };
}
