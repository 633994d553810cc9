/**
 * The demo universe's made-up tickers, company names and sectors. Every name ends in
 * "(synthetic)" so nobody mistakes the demo data for a real company.
 */
import { hashSeed, Rng } from "./rng";

/** The demo sectors, in a fixed order (index = sector id). */
export const DEMO_SECTORS = [
  "Technology",
  "Health Care",
  "Financials",
  "Consumer Discretionary",
  "Consumer Staples",
  "Industrials",
  "Energy",
  "Materials",
  "Utilities",
  "Real Estate",
  "Communication Services",
] as const;
export type DemoSector = (typeof DEMO_SECTORS)[number];

/** One demo symbol's identity. */
export interface DemoSymbolInfo {
  symbol: string;
  name: string;
  sector: DemoSector;
  /** Position in the demo list (0-based); the first N entries form the N-symbol universe. */
  index: number;
}

const PREFIXES = [
  "Aster",
  "Boreal",
  "Cobalt",
  "Delta",
  "Ember",
  "Fjord",
  "Granite",
  "Harbor",
  "Iris",
  "Juniper",
  "Kestrel",
  "Lumen",
  "Meridian",
  "Nimbus",
  "Onyx",
  "Pioneer",
  "Quarry",
  "Ridge",
  "Summit",
  "Tundra",
  "Umber",
  "Vantage",
  "Willow",
  "Zephyr",
];
const SUFFIXES: Record<DemoSector, string[]> = {
  Technology: ["Systems", "Software", "Semiconductors", "Networks"],
  "Health Care": ["Therapeutics", "Health", "Biosciences", "Medical"],
  Financials: ["Bancorp", "Capital", "Financial", "Insurance"],
  "Consumer Discretionary": ["Retail", "Motors", "Brands", "Leisure"],
  "Consumer Staples": ["Foods", "Beverages", "Household", "Grocers"],
  Industrials: ["Industries", "Aerospace", "Logistics", "Machinery"],
  Energy: ["Energy", "Petroleum", "Drilling", "Pipelines"],
  Materials: ["Materials", "Chemicals", "Mining", "Steel"],
  Utilities: ["Power", "Utilities", "Water", "Electric"],
  "Real Estate": ["Realty", "Properties", "REIT", "Land"],
  "Communication Services": ["Media", "Telecom", "Interactive", "Broadcasting"],
};

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const cache = new Map<number, DemoSymbolInfo[]>();

/**
 * The first `count` demo symbols for `seed`. Entry i does not depend on `count`, so the
 * 50-symbol universe is a prefix of the 500-symbol one. Sectors go round-robin.
 */
export function demoSymbolList(seed: number, count: number): DemoSymbolInfo[] {
  let list = cache.get(seed);
  if (!list || list.length < count) {
    list = buildList(seed, Math.max(count, 500));
    if (cache.size > 8) cache.clear();
    cache.set(seed, list);
  }
  return list.slice(0, count);
}

function buildList(seed: number, count: number): DemoSymbolInfo[] {
  const rng = new Rng(hashSeed(seed, "demo-tickers"));
  const taken = new Set<string>();
  const out: DemoSymbolInfo[] = [];
  for (let i = 0; i < count; i++) {
    let ticker = "";
    while (ticker === "" || taken.has(ticker)) {
      const len = 3 + rng.int(2);
      ticker = "";
      for (let k = 0; k < len; k++) ticker += LETTERS[rng.int(26)];
    }
    taken.add(ticker);
    const sector = DEMO_SECTORS[i % DEMO_SECTORS.length];
    const suffixes = SUFFIXES[sector];
    const name = `${PREFIXES[rng.int(PREFIXES.length)]} ${suffixes[rng.int(suffixes.length)]} (synthetic)`;
    out.push({ symbol: ticker, name, sector, index: i });
  }
  return out;
}

/** Look up one demo symbol (searching the first `maxCount` entries); undefined when unknown. */
export function findDemoSymbol(seed: number, symbol: string, maxCount = 5000): DemoSymbolInfo | undefined {
  const upper = symbol.toUpperCase();
  return demoSymbolList(seed, maxCount).find((s) => s.symbol === upper);
}
