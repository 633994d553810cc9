/**
 * The stochastic model behind the demo universe, as explicit-state step functions so the
 * batch generator and the live feed produce the very same bars.
 *
 * Daily log return of stock i in sector s on bar t:
 *   r = μ_regime + α_i + σ_i·v_t·(√ρm·zₘ + √ρs·z_s + √(1−ρm−ρs)·√h_i·e_i) + earnings jump
 * v_t: market volatility = regime multiplier × √(GARCH(1,1) variance, unconditional mean 1);
 * h_i: the stock's own GARCH(1,1) variance (mean 1). Because v_t multiplies every component,
 * the correlation of two stocks' diffusive returns is ρm across sectors and ρm+ρs within one.
 * Regimes (bull, sideways, bear, crash) form a Markov chain with random durations.
 * A fraction of each day's move (and all of an earnings jump) happens overnight (open gap).
 */
import type { DemoSector } from "./demo-symbols";
import { Rng, type RngState } from "./rng";

/** Market regimes of the demo model. */
export type Regime = "bull" | "sideways" | "bear" | "crash";
const REGIMES: Record<Regime, { driftPerDay: number; volMult: number; meanBars: number; next: [Regime, number][] }> = {
  bull: {
    driftPerDay: 0.0007,
    volMult: 0.85,
    meanBars: 260,
    next: [
      ["sideways", 0.5],
      ["bear", 0.35],
      ["crash", 0.15],
    ],
  },
  sideways: {
    driftPerDay: 0.0001,
    volMult: 1.0,
    meanBars: 120,
    next: [
      ["bull", 0.6],
      ["bear", 0.3],
      ["crash", 0.1],
    ],
  },
  bear: {
    driftPerDay: -0.0009,
    volMult: 1.35,
    meanBars: 90,
    next: [
      ["bull", 0.45],
      ["sideways", 0.4],
      ["crash", 0.15],
    ],
  },
  crash: {
    driftPerDay: -0.012,
    volMult: 2.6,
    meanBars: 12,
    next: [
      ["bear", 0.5],
      ["sideways", 0.3],
      ["bull", 0.2],
    ],
  },
};

/** Correlation structure of the demo universe (shares of diffusive variance). */
export const DEMO_MARKET_CORRELATION = 0.3;
export const DEMO_SECTOR_CORRELATION = 0.2;
/** Bars between earnings reports (a quarter of 252 business days). */
export const EARNINGS_INTERVAL_BARS = 63;

const M_ALPHA = 0.09,
  M_BETA = 0.89;
const I_ALPHA = 0.06,
  I_BETA = 0.92;

/** Market-wide state (regime chain and market GARCH). */
export interface MarketState {
  rng: RngState;
  regime: Regime;
  regimeLeft: number;
  garchVar: number;
  lastZ: number;
}

/** One bar of market factor output. */
export interface MarketBar {
  regime: Regime;
  driftPerDay: number;
  /** Volatility multiplier v_t (≈1 on average). */
  vol: number;
  /** Standardized market shock zₘ. */
  z: number;
}

/** Market state before bar 0: a bull phase of random length, GARCH variance at its mean. */
export function initMarket(seed: number): MarketState {
  const rng = new Rng(seed);
  const regimeLeft = Math.max(3, Math.round(-Math.log(1 - rng.uniform()) * REGIMES.bull.meanBars));
  return { rng: rng.state(), regime: "bull", regimeLeft, garchVar: 1, lastZ: 0 };
}

/** Advance the market one bar (mutates `st`). */
export function stepMarket(st: MarketState): MarketBar {
  const rng = new Rng(st.rng);
  if (st.regimeLeft <= 0) {
    const spec = REGIMES[st.regime];
    let u = rng.uniform();
    let next = spec.next[spec.next.length - 1][0];
    for (const [r, p] of spec.next) {
      if (u < p) {
        next = r;
        break;
      }
      u -= p;
    }
    st.regime = next;
    st.regimeLeft = Math.max(3, Math.round(-Math.log(1 - rng.uniform()) * REGIMES[st.regime].meanBars));
  }
  st.regimeLeft--;
  st.garchVar = 1 - M_ALPHA - M_BETA + M_ALPHA * st.lastZ * st.lastZ * Math.min(st.garchVar, 25) + M_BETA * st.garchVar;
  const z = rng.normal();
  st.lastZ = z;
  const spec = REGIMES[st.regime];
  return { regime: st.regime, driftPerDay: spec.driftPerDay, vol: spec.volMult * Math.sqrt(st.garchVar), z };
}

/** Per-symbol state: price, idiosyncratic GARCH and fundamentals drivers. */
export interface SymbolState {
  rng: RngState;
  bar: number;
  close: number;
  annualVol: number;
  alphaPerDay: number;
  idioVar: number;
  lastE: number;
  earningsOffset: number;
  gapShare: number;
  baseVolume: number;
  shares: number;
  eps: number;
  revenue: number;
  bookPerShare: number;
  debtToEquity: number;
  growthPerQuarter: number;
  /** The P/E and P/B this company's earnings and book value revert to (its sector's, spread per company). */
  peAnchor: number;
  pbAnchor: number;
}

/**
 * Typical valuation of each sector: median trailing P/E, price-to-book and debt-to-equity of
 * large listed companies (order of magnitude of S&P 500 sector medians over the last decade).
 * Each company draws its own multiples around these (log-normal spread, ×/÷ ~1.5).
 */
export const SECTOR_VALUATION: Record<DemoSector, { pe: number; pb: number; debtToEquity: number }> = {
  Technology: { pe: 27, pb: 6, debtToEquity: 0.5 },
  "Health Care": { pe: 22, pb: 4, debtToEquity: 0.7 },
  Financials: { pe: 13, pb: 1.4, debtToEquity: 2.2 },
  "Consumer Discretionary": { pe: 22, pb: 4, debtToEquity: 1 },
  "Consumer Staples": { pe: 21, pb: 4.5, debtToEquity: 0.9 },
  Industrials: { pe: 20, pb: 3.5, debtToEquity: 0.9 },
  Energy: { pe: 12, pb: 1.8, debtToEquity: 0.5 },
  Materials: { pe: 16, pb: 2.3, debtToEquity: 0.6 },
  Utilities: { pe: 18, pb: 1.8, debtToEquity: 1.4 },
  "Real Estate": { pe: 30, pb: 2, debtToEquity: 1.1 },
  "Communication Services": { pe: 19, pb: 3, debtToEquity: 0.8 },
};

/** Share of the gap to the anchor multiple closed at each quarterly report (prices and earnings stay coupled). */
const ANCHOR_PULL = 0.35;

/** `median` spread log-normally by a uniform draw `u` in [0, 1): ×/÷ `spread` at the ends. */
const around = (median: number, u: number, spread: number) => median * Math.exp((2 * u - 1) * Math.log(spread));

/** One generated bar with its fundamentals. */
export interface DemoBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  marketCap: number;
  pe: number;
  eps: number;
  revenue: number;
  pb: number;
  debtToEquity: number;
}

/**
 * A symbol's state before bar 0: price, volatility, size and fundamentals drawn from `seed`,
 * valuation multiples around its sector's (default: the market-wide middle).
 */
export function initSymbol(seed: number, sector?: DemoSector): SymbolState {
  const rng = new Rng(seed);
  const valuation = sector ? SECTOR_VALUATION[sector] : { pe: 20, pb: 3, debtToEquity: 0.9 };
  const close = Math.exp(Math.log(8) + rng.uniform() * Math.log(400 / 8));
  const shares = Math.exp(Math.log(2e7) + rng.uniform() * Math.log(5e9 / 2e7));
  const pe = around(valuation.pe, rng.uniform(), 1.6);
  const eps = rng.uniform() < 0.1 ? -close / (valuation.pe * 3) : close / pe;
  const st: SymbolState = {
    rng: rng.state(),
    bar: 0,
    close,
    annualVol: 0.18 + rng.uniform() * 0.4,
    alphaPerDay: (rng.normal() * 0.05) / 252,
    idioVar: 1,
    lastE: 0,
    earningsOffset: 0,
    gapShare: 0.15 + rng.uniform() * 0.2,
    baseVolume: Math.max(5e4, shares * (0.002 + rng.uniform() * 0.008)),
    shares,
    eps,
    revenue: shares * close * (0.3 + rng.uniform() * 3),
    bookPerShare: 0,
    debtToEquity: around(valuation.debtToEquity, rng.uniform(), 2),
    growthPerQuarter: rng.normal() * 0.04 + 0.015,
    peAnchor: pe,
    pbAnchor: 0,
  };
  st.pbAnchor = around(valuation.pb, rng.uniform(), 1.6);
  st.bookPerShare = close / st.pbAnchor;
  st.earningsOffset = new Rng(st.rng).int(EARNINGS_INTERVAL_BARS);
  return st;
}

/** Advance one symbol one bar (mutates `st`), given this bar's market bar and sector shock. */
export function stepSymbol(st: SymbolState, m: MarketBar, sectorZ: number): DemoBar {
  const rng = new Rng(st.rng);
  const sd = st.annualVol / Math.sqrt(252);
  st.idioVar = 1 - I_ALPHA - I_BETA + I_ALPHA * st.lastE * st.lastE * Math.min(st.idioVar, 25) + I_BETA * st.idioVar;
  const e = rng.normal();
  st.lastE = e;
  const shock =
    Math.sqrt(DEMO_MARKET_CORRELATION) * m.z +
    Math.sqrt(DEMO_SECTOR_CORRELATION) * sectorZ +
    Math.sqrt(1 - DEMO_MARKET_CORRELATION - DEMO_SECTOR_CORRELATION) * Math.sqrt(st.idioVar) * e;
  const scale = sd * m.vol;
  const diffusive = m.driftPerDay + st.alphaPerDay - 0.5 * scale * scale + scale * shock;
  const earnings = st.bar > 0 && (st.bar - st.earningsOffset) % EARNINGS_INTERVAL_BARS === 0;
  const surprise = earnings ? rng.normal() : 0;
  const jump = earnings ? sd * 3 * surprise : 0;
  const overnight = st.gapShare * diffusive + jump;
  const prev = st.close;
  const open = prev * Math.exp(overnight);
  const close = prev * Math.exp(diffusive + jump);
  const wick = 0.35 * scale;
  const high = Math.max(open, close) * Math.exp(wick * Math.abs(rng.normal()));
  const low = Math.min(open, close) * Math.exp(-wick * Math.abs(rng.normal()));
  const move = Math.abs(diffusive + jump) / sd;
  const volume = Math.round(
    st.baseVolume * Math.exp(0.3 * rng.normal()) * (0.6 + 0.5 * move + 0.25 * move * move) * (earnings ? 2.5 : 1),
  );
  if (earnings) {
    const g = st.growthPerQuarter + 0.05 * surprise;
    st.eps += Math.abs(st.eps) * (Math.exp(g) - 1);
    // Reported earnings and book value follow the price over time (a company's multiple
    // wanders around its anchor instead of drifting to 0.3 or 1000 over a decade).
    st.eps += ANCHOR_PULL * (close / st.peAnchor - st.eps);
    st.revenue *= Math.exp(st.growthPerQuarter * 0.6 + 0.02 * rng.normal());
    st.bookPerShare *= Math.exp(0.015 + 0.01 * rng.normal());
    st.bookPerShare += ANCHOR_PULL * (close / st.pbAnchor - st.bookPerShare);
    st.debtToEquity = Math.min(6, Math.max(0.02, st.debtToEquity * Math.exp(0.06 * rng.normal())));
    st.growthPerQuarter = 0.9 * st.growthPerQuarter + 0.1 * 0.015 + 0.01 * rng.normal();
  }
  st.close = close;
  st.bar++;
  return {
    open,
    high,
    low,
    close,
    volume,
    marketCap: close * st.shares,
    pe: st.eps > 0 ? close / st.eps : Number.NaN,
    eps: st.eps,
    revenue: st.revenue,
    pb: close / st.bookPerShare,
    debtToEquity: st.debtToEquity,
  };
}
