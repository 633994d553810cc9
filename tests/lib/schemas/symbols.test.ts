/**
 * One ticker rule for imports, universes, providers and run requests: a symbol that can be
 * imported can be named in a run, and the run request refuses what the import refuses.
 */
import { describe, expect, it } from "vitest";
import { SYMBOL_PATTERN, symbolSchema } from "@/lib/schemas/ids";
import { backtestSpecSchema } from "@/lib/schemas/runs";

describe("symbol rule", () => {
  it("accepts the tickers of every market the data sources cover, upper-cased", () => {
    for (const s of ["GOOG", "BRK.B", "^GSPC", "EURUSD=X", "BTC/USDT", "C_EURUSD", "0700.HK", "A".repeat(24)]) {
      expect(SYMBOL_PATTERN.test(s), s).toBe(true);
      expect(symbolSchema.parse(` ${s.toLowerCase()} `)).toBe(s);
    }
  });

  it("a run request names an imported crypto pair", () => {
    const spec = backtestSpecSchema.parse({
      kind: "backtest",
      strategyId: "00000000-0000-4000-8000-000000000000",
      symbols: ["btc/usdt", "EURUSD=X"],
    });
    expect(spec.symbols).toEqual(["BTC/USDT", "EURUSD=X"]);
  });

  it("refuses empty, over-long and punctuated tickers with the rule in the message", () => {
    for (const s of ["", "A".repeat(25), "GO OG", "-GOOG", "GOOG;DROP", "ÄPFEL"]) {
      const r = symbolSchema.safeParse(s);
      expect(r.success, s).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/up to 24 characters/);
    }
  });
});
