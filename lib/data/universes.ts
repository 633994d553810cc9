/**
 * Named universes: `demo-500` (every demo symbol), `demo-<N>` (the first N), and one slice per
 * demo sector (`demo-tech`, `demo-health-care`, …). User-defined and imported universes live
 * in the database; {@link resolveUniverse} falls back to a caller-supplied lookup for them.
 */
import { DEMO_SECTORS, demoSymbolList, type DemoSector } from "./demo-symbols";

/** Short slug of each demo sector, used in universe names. */
export const SECTOR_SLUGS: Record<DemoSector, string> = {
  Technology: "tech",
  "Health Care": "health-care",
  Financials: "financials",
  "Consumer Discretionary": "consumer-discretionary",
  "Consumer Staples": "consumer-staples",
  Industrials: "industrials",
  Energy: "energy",
  Materials: "materials",
  Utilities: "utilities",
  "Real Estate": "real-estate",
  "Communication Services": "communication-services",
};

/** A universe definition. */
export interface UniverseInfo {
  name: string;
  description: string;
  symbols: string[];
  synthetic: boolean;
}

/** The built-in demo universes for `seed` over the first `count` demo symbols. */
export function demoUniverses(seed = 42, count = 500): UniverseInfo[] {
  const list = demoSymbolList(seed, count);
  const all: UniverseInfo = {
    name: `demo-${count}`,
    description: `All ${count} synthetic demo symbols`,
    symbols: list.map((s) => s.symbol),
    synthetic: true,
  };
  const sectors = DEMO_SECTORS.map((sector) => ({
    name: `demo-${SECTOR_SLUGS[sector]}`,
    description: `Synthetic demo symbols in ${sector}`,
    symbols: list.filter((s) => s.sector === sector).map((s) => s.symbol),
    synthetic: true,
  }));
  return [all, ...sectors];
}

/** Whether `name` is a built-in demo universe name. */
export function isDemoUniverseName(name: string): boolean {
  return /^demo-\d+$/.test(name) || Object.values(SECTOR_SLUGS).some((slug) => name === `demo-${slug}`);
}

/**
 * Symbols of a named universe. `demo-<N>` gives the first N demo symbols (N ≤ 5000); sector
 * slices use the first `demoCount` symbols. Other names go to `lookup` (user universes).
 * Throws RangeError for an unknown name.
 */
export function resolveUniverse(
  name: string,
  opts: { seed?: number; demoCount?: number; lookup?: (name: string) => string[] | undefined } = {},
): string[] {
  const seed = opts.seed ?? 42;
  const count = opts.demoCount ?? 500;
  const sized = /^demo-(\d+)$/.exec(name);
  if (sized) {
    const n = Number(sized[1]);
    if (n < 1 || n > 5000) throw new RangeError(`universe "${name}": size must be 1..5000`);
    return demoSymbolList(seed, n).map((s) => s.symbol);
  }
  const slice = demoUniverses(seed, count).find((u) => u.name === name);
  if (slice) return slice.symbols;
  const found = opts.lookup?.(name);
  if (found) return found;
  throw new RangeError(`unknown universe "${name}"`);
}
