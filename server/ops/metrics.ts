import "server-only";
/**
 * The process's Prometheus metrics: ONE registry per process, kept on globalThis so a dev reload
 * or a second bundle of this module finds the same registry instead of registering every metric
 * again ("metric already registered"). Served by the app's custom server at /metrics
 * (server/http/start.mjs → ./metrics-http.ts) and by each worker on LAB_METRICS_PORT.
 *
 * Names carry their unit (`_seconds`, `_bytes`, `_total` for counters, `_jobs`, `_ratio`).
 * Gauges read from the database (queue depth, strategies by state, database size, workers) are
 * refreshed by ./metrics-refresh.ts every LAB_METRICS_REFRESH_SECONDS.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

const SECONDS_FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_SLOW = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });

  return {
    registry,
    appInfo: gauge("lab_app_info", "Always 1; labels carry the app version, build id and process role.", [
      "version",
      "build_id",
      "role",
    ]),
    // HTTP (custom server)
    httpRequests: counter("lab_http_requests_total", "HTTP requests answered, by method, route and status.", [
      "method",
      "route",
      "status",
    ]),
    httpDuration: histogram(
      "lab_http_request_duration_seconds",
      "HTTP request duration, by method and route.",
      ["method", "route"],
      SECONDS_FAST,
    ),
    // Runs and queues
    runsEnqueued: counter("lab_runs_enqueued_total", "Runs queued, by kind.", ["kind"]),
    runsFinished: counter(
      "lab_runs_total",
      "Run attempts finished, by kind and outcome (succeeded, failed, cancelled, retrying, skipped).",
      ["kind", "status"],
    ),
    runDuration: histogram(
      "lab_run_duration_seconds",
      "Run attempt duration, by kind and outcome.",
      ["kind", "status"],
      SECONDS_SLOW,
    ),
    queueDepth: gauge("lab_queue_depth_jobs", "Jobs waiting or active per queue (refreshed from pg-boss).", [
      "queue",
      "state",
    ]),
    queueOldestAge: gauge(
      "lab_queue_oldest_job_age_seconds",
      "Age of the oldest waiting job per queue (0 when empty).",
      ["queue"],
    ),
    workerHeartbeats: counter("lab_worker_heartbeats_total", "Heartbeats this process wrote as a queue worker.", [
      "role",
    ]),
    workerLastHeartbeat: gauge(
      "lab_worker_last_heartbeat_timestamp_seconds",
      "Unix time of this process's last worker heartbeat.",
    ),
    workersAlive: gauge("lab_workers_alive", "Worker processes seen within the heartbeat window (refreshed).", [
      "role",
    ]),
    // Sandbox
    sandboxCalls: counter("lab_sandbox_calls_total", "Strategy calls into the sandbox, by outcome.", ["outcome"]),
    sandboxErrors: counter(
      "lab_sandbox_errors_total",
      "Sandbox call errors, by type (timeout, memory, crash, strategy, invalid_output).",
      ["type"],
    ),
    sandboxHeap: gauge(
      "lab_sandbox_isolate_heap_bytes",
      "Isolate heap in use (used + external) after the latest sandbox call.",
    ),
    sandboxDuration: histogram(
      "lab_sandbox_call_duration_seconds",
      "Duration of one sandbox call.",
      ["outcome"],
      SECONDS_FAST,
    ),
    // LLM
    llmCalls: counter("lab_llm_calls_total", "Model calls, by provider and outcome.", ["provider", "outcome"]),
    llmTokens: counter("lab_llm_tokens_total", "Model tokens, by provider and direction (input, output).", [
      "provider",
      "direction",
    ]),
    llmDuration: histogram(
      "lab_llm_call_duration_seconds",
      "Model call latency, by provider.",
      ["provider"],
      SECONDS_SLOW,
    ),
    llmErrors: counter("lab_llm_errors_total", "Model call errors, by provider and type.", ["provider", "type"]),
    // Outbound dependencies (market data, LLM, webhooks, SMTP)
    marketDataCalls: counter("lab_market_data_calls_total", "Market-data provider requests, by provider and outcome.", [
      "provider",
      "outcome",
    ]),
    marketDataErrors: counter("lab_market_data_errors_total", "Market-data provider request errors, by provider.", [
      "provider",
    ]),
    outboundCalls: counter(
      "lab_outbound_calls_total",
      "Calls to outbound dependencies, by dependency and outcome (ok, error, rejected).",
      ["dependency", "outcome"],
    ),
    outboundRetries: counter("lab_outbound_retries_total", "Retried outbound calls, by dependency.", ["dependency"]),
    outboundRateLimited: counter(
      "lab_outbound_rate_limited_total",
      "Outbound calls refused by our own per-dependency rate limit.",
      ["dependency"],
    ),
    breakerState: gauge(
      "lab_breaker_state",
      "Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated.",
      ["dependency"],
    ),
    errorBudgetRatio: gauge(
      "lab_error_budget_used_ratio",
      "Failed share of runs and outbound calls over the rolling hour.",
    ),
    errorBudgetTarget: gauge("lab_error_budget_target_ratio", "The allowed failed share (LAB_ERROR_BUDGET)."),
    // Alerts
    alertsEvaluated: counter("lab_alerts_evaluated_total", "Alert rules evaluated against new bars."),
    alertsFired: counter("lab_alerts_fired_total", "Alert rules that fired."),
    alertsDelivered: counter("lab_alerts_delivered_total", "Alert notifications delivered, by channel.", ["channel"]),
    alertsDeliveryFailed: counter(
      "lab_alerts_delivery_failed_total",
      "Alert notification deliveries that failed, by channel.",
      ["channel"],
    ),
    // Limits, caches, errors
    rateLimitRefusals: counter(
      "lab_rate_limit_refusals_total",
      "Requests refused by a rate or quota limit, by limit.",
      ["limit"],
    ),
    cacheHits: counter("lab_cache_hits_total", "Cache hits, by cache.", ["cache"]),
    cacheMisses: counter("lab_cache_misses_total", "Cache misses, by cache.", ["cache"]),
    errors: counter("lab_errors_total", "Errors answered or logged, by stable code.", ["code"]),
    // Database and domain state
    dbPoolConnections: gauge("lab_db_pool_connections", "Database pool connections, by state (total, idle, waiting).", [
      "state",
    ]),
    dbSize: gauge("lab_db_size_bytes", "Size of the database (pg_database_size), refreshed."),
    strategyFitness: gauge(
      "lab_strategy_fitness_score",
      "Mean grade score (0-100) of each strategy's latest succeeded backtest, by lifecycle state (refreshed).",
      ["state"],
    ),
    strategiesByState: gauge("lab_strategies", "Strategies by lifecycle state (all workspaces), refreshed.", ["state"]),
    metricsRefreshed: gauge(
      "lab_metrics_refresh_timestamp_seconds",
      "Unix time of the last refresh of database-backed gauges.",
    ),
  };
}

export type LabMetrics = ReturnType<typeof build>;

const KEY = Symbol.for("strategy-lab.metrics");
type G = typeof globalThis & { [KEY]?: LabMetrics };

/** The process's metrics (created on first use, then shared through globalThis). */
export function metrics(): LabMetrics {
  const g = globalThis as G;
  g[KEY] ??= build();
  return g[KEY];
}

/** Seconds since `startedMs` (performance.now() based). */
export function secondsSince(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}
