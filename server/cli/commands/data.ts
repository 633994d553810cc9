/**
 * `npm run lab -- data import <file.csv> [--symbol S] [--timezone Z] [--workspace ID] [--no-header]`,
 * `npm run lab -- data import <file.parquet> --symbol S [--workspace ID]`,
 * `npm run lab -- data export --symbol S|--universe U --format csv|parquet --out FILE [--workspace ID] [--json]`,
 * `npm run lab -- data hydrate --provider <name> …` (./data-hydrate.ts) and
 * `npm run lab -- data demo [--symbols N] [--years Y] [--seed S] [--force]`.
 * The database is opened through openCliDatabase(), which goes through the running app's
 * socket when the app owns the embedded PGlite folder (never opening it a second time).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatRowProblem, ParquetImportError, parseBarsParquet } from "@/lib/data/bar-files";
import { CsvImportError, formatProblem, parseBarsCsv } from "@/lib/data/csv";
import { AppError } from "@/lib/errors";
import { barFileFormat, exportBars } from "@/server/data/bar-files";
import { PARQUET_DECOMPRESSORS } from "@/server/data/parquet-codecs";
import { hydrate } from "./data-hydrate";
import { ensureDemoUniverse } from "@/server/data/demo";
import { saveSeries } from "@/server/data/store";
import { closeCliDatabase, openCliDatabase } from "@/server/cli/db";
import { CliError, flag, hasFlag, numberFlag, parseArgs } from "../args";

const USAGE = `usage:
  npm run lab -- data import <file.csv> [--symbol S] [--timezone Area/City] [--workspace <id>] [--no-header]
  npm run lab -- data import <file.parquet> --symbol S [--workspace <id>]
  npm run lab -- data hydrate --provider <name> [--symbols A,B,…|--all] [--from D] [--to D] [--fundamentals] [--quick] [--json] [--workspace <id>] [--universe NAME]
  npm run lab -- data export --symbol S|--universe U --format csv|parquet --out FILE [--workspace <id>] [--json]
  npm run lab -- data demo [--symbols N] [--years Y] [--seed S] [--force]
`;

/** Symbol from a file name: `nvda-1999-2014.csv` → `NVDA`, `BTCUSD.csv` → `BTCUSD`. */
export function symbolFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, "");
  const head = base.split(/[-_ ]/)[0] ?? base;
  return (head || base).toUpperCase();
}

/** A Parquet file: by extension, or by its leading "PAR1" magic. */
function isParquetFile(file: string): boolean {
  if (/\.parquet$/i.test(file)) return true;
  try {
    return readFileSync(file).subarray(0, 4).toString("latin1") === "PAR1";
  } catch {
    return false;
  }
}

async function importParquetFile(file: string, args: ReturnType<typeof parseArgs>): Promise<number> {
  for (const csvOnly of ["timezone", "no-header"])
    if (args.flags.has(csvOnly))
      throw new CliError(`--${csvOnly} applies to CSV files only; a Parquet file carries typed UTC timestamps`);
  const symbol = (flag(args, "symbol") ?? symbolFromFileName(file)).toUpperCase();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  let parsed: ReturnType<typeof parseBarsParquet>;
  try {
    parsed = parseBarsParquet(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      symbol,
      decompressors: PARQUET_DECOMPRESSORS,
    });
  } catch (err) {
    if (!(err instanceof ParquetImportError)) throw err;
    process.stderr.write(`${file}: rejected, ${err.problems.length} problem(s); nothing was written\n`);
    for (const p of err.problems) process.stderr.write(`  ${formatRowProblem(p)}\n`);
    return 1;
  }
  for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`);
  const handle = await openCliDatabase();
  try {
    await saveSeries(handle.db, parsed.series, {
      source: "parquet",
      name: symbol,
      workspaceId: flag(args, "workspace") ?? null,
      meta: { file: path.basename(file) },
    });
  } finally {
    await closeCliDatabase();
  }
  const n = parsed.series.close.length;
  process.stdout.write(
    `imported ${symbol}: ${n} bars, ${new Date(parsed.series.timestampsMs[0]).toISOString()} … ${new Date(parsed.series.timestampsMs[n - 1]).toISOString()}\n`,
  );
  return 0;
}

async function exportFile(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["symbol", "universe", "format", "out", "workspace"], booleans: ["json"] });
  const symbol = flag(args, "symbol");
  const universe = flag(args, "universe");
  if (Boolean(symbol) === Boolean(universe))
    throw new CliError(`give exactly one of --symbol S or --universe U\n\n${USAGE}`);
  const rawFormat = flag(args, "format");
  if (rawFormat !== "csv" && rawFormat !== "parquet")
    throw new CliError(`--format must be csv or parquet${rawFormat ? ` (got "${rawFormat}")` : ""}`);
  const out = flag(args, "out");
  if (!out) throw new CliError(`missing --out FILE\n\n${USAGE}`);
  const handle = await openCliDatabase();
  let file: Awaited<ReturnType<typeof exportBars>>;
  try {
    file = await exportBars(
      handle.db,
      flag(args, "workspace") ?? null,
      symbol ? { symbol } : { universe: universe ?? "" },
      barFileFormat(rawFormat),
    );
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, 1);
    throw err;
  } finally {
    await closeCliDatabase();
  }
  // Write beside the target, then rename: the file appears whole or not at all.
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, file.body);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${out}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  if (hasFlag(args, "json"))
    process.stdout.write(
      `${JSON.stringify({ out, format: rawFormat, symbols: file.symbols, bars: file.bars, bytes: file.body.length })}\n`,
    );
  else
    process.stdout.write(
      `exported ${file.bars} bars of ${file.symbols} symbol(s) to ${out} (${rawFormat}, ${file.body.length} bytes)\n`,
    );
  return 0;
}

async function importCsv(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["symbol", "timezone", "workspace"], booleans: ["no-header"] });
  const file = args.positionals[0];
  if (!file) throw new CliError(`missing <file.csv>\n\n${USAGE}`);
  if (isParquetFile(file)) return importParquetFile(file, args);
  const symbol = (flag(args, "symbol") ?? symbolFromFileName(file)).toUpperCase();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  let parsed: ReturnType<typeof parseBarsCsv>;
  try {
    parsed = parseBarsCsv(text, { symbol, timezone: flag(args, "timezone"), noHeader: hasFlag(args, "no-header") });
  } catch (err) {
    if (!(err instanceof CsvImportError)) throw err;
    process.stderr.write(`${file}: rejected, ${err.problems.length} problem(s); nothing was written\n`);
    for (const p of err.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
    return 1;
  }
  for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`);
  const handle = await openCliDatabase();
  try {
    await saveSeries(handle.db, parsed.series, {
      source: "csv",
      name: symbol,
      workspaceId: flag(args, "workspace") ?? null,
      meta: { file: path.basename(file) },
    });
  } finally {
    await closeCliDatabase();
  }
  const n = parsed.series.close.length;
  const first = new Date(parsed.series.timestampsMs[0]).toISOString();
  const last = new Date(parsed.series.timestampsMs[n - 1]).toISOString();
  process.stdout.write(`imported ${symbol}: ${n} bars, ${first} … ${last}\n`);
  return 0;
}

async function demo(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["symbols", "years", "seed"], booleans: ["force"] });
  const symbols = numberFlag(args, "symbols") ?? 500;
  const years = numberFlag(args, "years") ?? 10;
  const seed = numberFlag(args, "seed") ?? 42;
  if (!Number.isInteger(symbols) || symbols < 1 || symbols > 5000)
    throw new CliError("--symbols must be an integer from 1 to 5000");
  if (!(years > 0 && years <= 50)) throw new CliError("--years must be greater than 0 and at most 50");
  if (!Number.isInteger(seed)) throw new CliError("--seed must be an integer");
  const handle = await openCliDatabase();
  try {
    const r = await ensureDemoUniverse(handle.db, { symbols, years, seed, force: hasFlag(args, "force") });
    process.stdout.write(
      r.created
        ? `wrote the synthetic demo universe: ${r.symbols} symbols × ${r.bars} bars (seed ${seed})\n`
        : `the synthetic demo universe with ${r.symbols} symbols × ${r.bars} bars (seed ${seed}) is already stored\n`,
    );
  } finally {
    await closeCliDatabase();
  }
  return 0;
}

/** Entry point of `lab data …`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "import") return importCsv(rest);
  if (sub === "demo") return demo(rest);
  if (sub === "export") return exportFile(rest);
  if (sub === "hydrate") return hydrate(rest);
  process.stderr.write(sub ? `error: unknown data command "${sub}"\n\n${USAGE}` : USAGE);
  return 2;
}
