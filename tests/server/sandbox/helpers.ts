import { readFileSync } from "node:fs";
import type { SandboxInput } from "@/server/sandbox";

/** Synthetic but deterministic bars: a slow sine around 100. */
export function syntheticInput(symbol: string, n: number): SandboxInput {
  const close = Float64Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 7));
  const open = close.map((c, i) => (i ? close[i - 1] : c));
  return {
    symbol,
    bars: {
      open,
      high: close.map((c, i) => Math.max(c, open[i]) + 1),
      low: close.map((c, i) => Math.min(c, open[i]) - 1),
      close,
      volume: Float64Array.from({ length: n }, (_, i) => 1000 + (i % 10) * 100),
      timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000),
    },
  };
}

/** GOOG daily bars from the shared data folder. */
export function googInput(): SandboxInput {
  const rows = readFileSync("../shared/data/GOOG.csv", "utf8").trim().split("\n").slice(1);
  const cols = rows.map((r) => r.split(","));
  const col = (k: number) => Float64Array.from(cols, (c) => Number(c[k]));
  return {
    symbol: "GOOG",
    bars: {
      timestamps: Float64Array.from(cols, (c) => Date.parse(`${c[0]}T00:00:00Z`)),
      open: col(1),
      high: col(2),
      low: col(3),
      close: col(4),
      volume: col(5),
    },
  };
}

/** A normal strategy: long while close is above the previous close. */
export const TINY = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "tiny",
  description: "up-day follower",
  params: { lag: { type: "int", min: 1, max: 10, step: 1, default: 1 } },
  signals(bars, p) {
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = p.lag; i < n; i++) {
      const up = bars.close[i] > bars.close[i - p.lag];
      entries[i] = up ? 1 : 0;
      exits[i] = up ? 0 : 1;
    }
    return { entries, exits };
  },
});
`;

/** Expected TINY entries, computed here without the sandbox. */
export function tinyEntries(close: Float64Array, lag = 1): number[] {
  return Array.from(close, (c, i) => (i >= lag && c > close[i - lag] ? 1 : 0));
}

/** Wraps a `signals` body into a full strategy module. */
export function strategyWith(body: string, header = ""): string {
  return `import { defineStrategy } from "@strategy-lab/sdk";
${header}
export default defineStrategy({
  name: "probe",
  params: {},
  signals(bars, p, ta) {
    const n = bars.close.length;
${body}
  },
});
`;
}
