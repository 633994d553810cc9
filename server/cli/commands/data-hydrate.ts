/**
 * `npm run lab -- data hydrate --provider <name> [--symbols A,B,…|--all] [--from D] [--to D]
 * [--fundamentals] [--quick] [--json] [--workspace ID] [--universe NAME]` (or `--resume <hydration id>
 * [--json]`: queue a hydration's still-pending symbols again and wait): load many symbols from a
 * configured provider. The symbols are split into batches on the `data-hydrate` queue (every running
 * worker helps); this process works the queue too and waits until every symbol is settled,
 * printing progress to stderr. Bad input (unknown or unconfigured provider, empty or malformed
 * list, reversed range) is refused before anything is written; a provider answering garbage or
 * 429 gives that symbol an error with the reason.
 */
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { hydrations } from "@/server/db/schema";
import {
  createHydration,
  hydrationProgress,
  hydrationResults,
  pickProvider,
  queuePending,
  type HydrateBatchJob,
} from "@/server/data/hydrate";
import { FRED_SERIES_ID } from "@/lib/data/providers";
import { hydrateMacroSeries } from "@/server/data/macro";
import { appMacroProvider, appProviders } from "@/server/data/provider-import";
import { SYMBOL_PATTERN } from "@/server/data/service";
import { getBoss, stopBoss } from "@/server/jobs/boss";
import { enqueueHydrateBatches, handleHydrateJob } from "@/server/jobs/hydrate";
import { HYDRATE_QUEUE } from "@/server/jobs/queues";
import { closeCliDatabase, openCliDatabase } from "@/server/cli/db";
import { CliError, flag, hasFlag, parseArgs } from "../args";

const DAY = 86_400_000;
/** --quick: this many symbols over the last 30 days. */
export const QUICK_SYMBOLS = 5;

function dateFlag(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== raw)
    throw new CliError(`--${name} must be a date like 2020-01-31 (got "${raw}")`);
  return ms;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function hydrate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    known: ["provider", "symbols", "from", "to", "workspace", "universe", "resume"],
    booleans: ["all", "fundamentals", "quick", "json"],
  });
  const resume = flag(args, "resume");
  if (resume !== undefined) {
    const other = [...args.flags.keys()].filter((k) => k !== "resume" && k !== "json");
    if (other.length > 0)
      throw new CliError(
        `--resume takes only --json (the hydration keeps its provider, symbols and range); drop --${other[0]}`,
      );
    if (!UUID.test(resume))
      throw new CliError(`--resume needs a hydration id (a UUID printed as hydration_id), got "${resume}"`);
    return waitFor(resume, hasFlag(args, "json"), [], Date.now());
  }
  const providerName = flag(args, "provider");
  if (!providerName)
    throw new CliError(
      "missing --provider <name> (yahoo, polygon, alpaca, alphavantage, alphavantage-fx, ccxt:<exchange>, fred)",
    );
  const list = flag(args, "symbols");
  if (list !== undefined && hasFlag(args, "all")) throw new CliError("give either --symbols A,B,… or --all, not both");
  if (providerName === "fred") return hydrateFred(args, list);
  const providers = appProviders();
  let provider;
  try {
    provider = pickProvider(providers, providerName);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message);
    throw err;
  }
  const warnings: string[] = [];
  const quick = hasFlag(args, "quick");
  let symbols: string[];
  if (hasFlag(args, "all")) {
    if (!provider.listSymbols)
      throw new CliError(`${provider.name} does not publish a symbol list; pass --symbols A,B,…`);
    let listed: string[];
    try {
      listed = await provider.listSymbols({ limit: quick ? QUICK_SYMBOLS : undefined });
    } catch (err) {
      throw new CliError(
        `${provider.name}: could not read its symbol list: ${err instanceof Error ? err.message : String(err)}`,
        1,
      );
    }
    symbols = listed.filter((s) => SYMBOL_PATTERN.test(s));
    if (symbols.length < listed.length)
      warnings.push(
        `skipped ${listed.length - symbols.length} listed symbol(s) this app cannot store (${listed
          .filter((s) => !SYMBOL_PATTERN.test(s))
          .slice(0, 5)
          .join(", ")})`,
      );
    if (symbols.length === 0) throw new CliError(`${provider.name} listed no symbols`, 1);
  } else {
    if (list === undefined) throw new CliError("missing --symbols A,B,… (comma-separated) or --all");
    symbols = list.split(",").map((s) => s.trim());
    if (symbols.every((s) => s === "")) throw new CliError("--symbols is empty; give at least one symbol");
  }
  const toMs = dateFlag(flag(args, "to"), "to") ?? Math.floor(Date.now() / DAY) * DAY;
  let fromMs = dateFlag(flag(args, "from"), "from") ?? toMs - (quick ? 30 : 5 * 365) * DAY;
  if (fromMs >= toMs)
    throw new CliError(
      `the date range is reversed or empty: --from ${new Date(fromMs).toISOString().slice(0, 10)} is not before --to ${new Date(toMs).toISOString().slice(0, 10)}`,
    );
  if (quick) {
    if (symbols.length > QUICK_SYMBOLS)
      warnings.push(`--quick: hydrating the first ${QUICK_SYMBOLS} of ${symbols.length} symbols`);
    symbols = symbols.slice(0, QUICK_SYMBOLS);
    if (!flag(args, "from")) fromMs = toMs - 30 * DAY;
  }
  if (hasFlag(args, "fundamentals") && !provider.fetchFundamentals)
    warnings.push(`${provider.name}: fundamentals are not fetched by this provider's adapter; bars only`);
  const json = hasFlag(args, "json");
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const started = Date.now();
  const handle = await openCliDatabase();
  let hydrationId: string;
  try {
    const boss = await getBoss();
    ({ hydrationId } = await createHydration(handle.db, enqueueHydrateBatches(boss), providers, {
      workspaceId: flag(args, "workspace") ?? null,
      provider: provider.name,
      symbols,
      fromMs,
      toMs,
      universe: flag(args, "universe"),
      fundamentals: hasFlag(args, "fundamentals"),
    }));
  } catch (err) {
    await stopBoss(5_000);
    await closeCliDatabase();
    if (err instanceof AppError) throw new CliError(err.message);
    throw err;
  }
  return waitFor(hydrationId, json, warnings, started, false);
}

/**
 * FRED macro series: fetched whole (every vintage) and stored at once in this process, one
 * series after another; --from/--to do not apply (a series is kept as known over time).
 */
async function hydrateFred(args: ReturnType<typeof parseArgs>, list: string | undefined): Promise<number> {
  const source = appMacroProvider();
  if (!source) throw new CliError('Provider "fred" is not configured: set FRED_API_KEY.');
  if (hasFlag(args, "all")) throw new CliError("fred has thousands of series; name them with --symbols DGS10,UNRATE,…");
  if (list === undefined) throw new CliError("missing --symbols DGS10,UNRATE,… (FRED series ids)");
  const ids = [
    ...new Set(
      list
        .split(",")
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== ""),
    ),
  ];
  if (ids.length === 0) throw new CliError("--symbols is empty; give at least one FRED series id");
  const bad = ids.find((id) => !FRED_SERIES_ID.test(id));
  if (bad) throw new CliError(`"${bad}" is not a FRED series id (upper-case letters, digits and _, e.g. DGS10)`);
  const json = hasFlag(args, "json");
  const started = Date.now();
  const handle = await openCliDatabase();
  try {
    const results = await hydrateMacroSeries(handle.db, source, ids, flag(args, "workspace") ?? null);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const summary = {
      provider: "fred",
      total: ids.length,
      ok: count("ok"),
      no_data: count("no_data"),
      error: count("error"),
      bars: results.reduce((n, r) => n + r.bars, 0),
      seconds: (Date.now() - started) / 1000,
      results,
    };
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `stored ${summary.ok}/${summary.total} FRED series (${summary.bars} values) in ${summary.seconds.toFixed(1)}s\n`,
      );
      for (const r of results)
        if (r.status !== "ok") process.stdout.write(`  ${r.symbol}: ${r.status}${r.reason ? ` — ${r.reason}` : ""}\n`);
    }
    return summary.error > 0 ? 1 : 0;
  } finally {
    await closeCliDatabase();
  }
}

/** Work the queue in this process (with any running workers) until every symbol of the hydration is settled; print the outcome. */
async function waitFor(
  hydrationId: string,
  json: boolean,
  warnings: string[],
  started: number,
  requeue = true,
): Promise<number> {
  const providers = appProviders();
  const handle = await openCliDatabase();
  try {
    const boss = await getBoss();
    if (requeue) {
      const [known] = await handle.db
        .select({ id: hydrations.id })
        .from(hydrations)
        .where(eq(hydrations.id, hydrationId));
      if (!known) throw new CliError(`no hydration ${hydrationId}`, 1);
      const batches = await queuePending(handle.db, enqueueHydrateBatches(boss), hydrationId);
      if (!json) process.stderr.write(`resuming: ${batches} batch(es) of pending symbols queued\n`);
    }
    const workerId = await boss.work<HydrateBatchJob>(
      HYDRATE_QUEUE,
      { localConcurrency: 2, pollingIntervalSeconds: 0.5 },
      async ([job]) => handleHydrateJob(handle.db, job.data, providers),
    );
    let progress = await hydrationProgress(handle.db, hydrationId, Date.now());
    let lastLine = "";
    while (progress.done < progress.total) {
      await new Promise((r) => setTimeout(r, 500));
      progress = await hydrationProgress(handle.db, hydrationId, Date.now());
      const line = `hydrating ${progress.done}/${progress.total} symbols, ${progress.bars} bars written${progress.etaSeconds !== null ? `, ETA ${progress.etaSeconds}s` : ""}`;
      if (!json && line !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = line;
    }
    await boss.offWork(HYDRATE_QUEUE, { id: workerId, wait: true });
    const results = await hydrationResults(handle.db, hydrationId);
    const summary = {
      hydration_id: hydrationId,
      provider: progress.provider,
      universe: progress.universe,
      from: new Date(progress.fromMs).toISOString().slice(0, 10),
      to: new Date(progress.toMs).toISOString().slice(0, 10),
      total: progress.total,
      ok: progress.ok,
      no_data: progress.noData,
      error: progress.error,
      bars: progress.bars,
      seconds: (Date.now() - started) / 1000,
      warnings,
      results: results.map((r) => ({ symbol: r.symbol, status: r.status, bars: r.bars, reason: r.reason })),
    };
    if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `hydrated ${summary.ok}/${summary.total} symbols from ${summary.provider} into universe ${summary.universe}: ${summary.bars} bars (${summary.no_data} without data, ${summary.error} failed) in ${summary.seconds.toFixed(1)}s\n`,
      );
      for (const r of summary.results)
        if (r.status !== "ok") process.stdout.write(`  ${r.symbol}: ${r.status}${r.reason ? ` — ${r.reason}` : ""}\n`);
    }
    return summary.error > 0 ? 1 : 0;
  } finally {
    await stopBoss(5_000);
    await closeCliDatabase();
  }
}
