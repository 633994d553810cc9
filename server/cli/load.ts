import "server-only";
/**
 * Resolving the command line's `--strategy` and `--data` / `--universe` arguments: an example
 * name or a file path; a CSV file, `demo:SYMBOL` or a named universe. No database: demo data is
 * generated from the seeded model.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { parseBarsCsv } from "@/lib/data/csv";
import { generateDemoSeries, generateDemoUniverse } from "@/lib/data/demo-universe";
import { isDemoUniverseName, resolveUniverse } from "@/lib/data/universes";
import { EXAMPLES, getExample } from "@/lib/sdk/examples";

/** An argument that names no strategy file, example, data file or universe. */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

/** A strategy's source and where it came from. */
export interface LoadedStrategy {
  source: string;
  /** "example:sma-cross" or the file path. */
  origin: string;
}

/** `spec` is an example name (see EXAMPLES) or a path to a .ts file. */
export function loadStrategy(spec: string): LoadedStrategy {
  const example = getExample(spec);
  if (example) return { source: example.source, origin: `example:${spec}` };
  let isFile = false;
  try {
    isFile = statSync(spec).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new LoadError(
      `--strategy "${spec}" is neither an example (${Object.keys(EXAMPLES).join(", ")}) nor a readable file`,
    );
  }
  return { source: readFileSync(spec, "utf8"), origin: spec };
}

/** Bars (and fundamentals where known) for a run. */
export interface LoadedData {
  universe: BarSeries[];
  fundamentals: Record<string, FundamentalSeries>;
  /** true for generated demo data, which must be labelled as synthetic wherever it is shown. */
  synthetic: boolean;
  /** CSV import warnings (e.g. ignored columns). */
  warnings: string[];
}

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** IANA zone for naive intraday CSV timestamps. */
  timezone?: string;
  /** The CSV has no header row: read it as Date,Open,High,Low,Close[,Volume] (`--no-header`). */
  noHeader?: boolean;
  /** Demo history length in years (default 10). */
  years?: number;
  /** Demo seed (default 42). */
  seed?: number;
}

function fromCsv(path: string, opts: LoadDataOptions): LoadedData {
  const symbol = basename(path, extname(path)).toUpperCase();
  const { series, warnings } = parseBarsCsv(readFileSync(path, "utf8"), {
    symbol,
    timezone: opts.timezone,
    noHeader: opts.noHeader,
  });
  return { universe: [series], fundamentals: {}, synthetic: false, warnings };
}

/** `spec` is a CSV path, `demo:SYMBOL` (or `demo:A,B,C`) or a universe name such as `demo-500` or `demo-tech`. */
export function loadData(spec: string, opts: LoadDataOptions = {}): LoadedData {
  const seed = opts.seed ?? 42;
  const years = opts.years ?? 10;
  if (spec.startsWith("demo:")) {
    const symbols = spec
      .slice(5)
      .split(",")
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    if (symbols.length === 0)
      throw new LoadError(
        `--data "${spec}" names no demo symbol (e.g. demo:${resolveUniverse("demo-1", { seed })[0]})`,
      );
    const data = symbols.map((symbol) => {
      try {
        return generateDemoSeries(symbol, { seed, years });
      } catch {
        const sample = resolveUniverse("demo-5", { seed }).join(", ");
        throw new LoadError(`"${symbol}" is not a demo symbol (examples: ${sample}; see universe demo-500)`);
      }
    });
    return {
      universe: data.map((d) => d.series),
      fundamentals: Object.fromEntries(data.map((d) => [d.symbol, d.fundamentals])),
      synthetic: true,
      warnings: [],
    };
  }
  if (isDemoUniverseName(spec)) {
    let symbols: string[];
    try {
      symbols = resolveUniverse(spec, { seed });
    } catch (err) {
      throw new LoadError(err instanceof Error ? err.message : String(err));
    }
    const sized = /^demo-(\d+)$/.exec(spec);
    const count = sized ? Number(sized[1]) : 500;
    const wanted = new Set(symbols);
    const data = generateDemoUniverse({ symbols: count, years, seed }).symbols.filter((d) => wanted.has(d.symbol));
    return {
      universe: data.map((d) => d.series),
      fundamentals: Object.fromEntries(data.map((d) => [d.symbol, d.fundamentals])),
      synthetic: true,
      warnings: [],
    };
  }
  let isFile = false;
  try {
    isFile = statSync(spec).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) return fromCsv(spec, opts);
  if (/[\\/]|\.(csv|txt)$/i.test(spec))
    throw new LoadError(`data file "${spec}" does not exist or is not a readable file`);
  throw new LoadError(
    `data "${spec}" is not a CSV file, demo:SYMBOL, or a universe name (demo-500, demo-<N>, demo-tech, …)`,
  );
}

/** `YYYY-MM-DD` or a full ISO-8601 time → UTC ms; a date alone is 00:00 UTC of that day. */
export function parseDate(raw: string, flagName: string): number {
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw);
  const ms = ok ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : NaN;
  if (!Number.isFinite(ms) || (raw.length === 10 && new Date(ms).toISOString().slice(0, 10) !== raw))
    throw new LoadError(`--${flagName} must be a date like 2020-01-31, got "${raw}"`);
  return ms;
}
