import { describe, expect, it } from "vitest";
import { generateDemoSeries } from "@/lib/data/demo-universe";
import { resolveUniverse } from "@/lib/data/universes";
import { EXAMPLES } from "@/lib/sdk/examples";
import { LoadError, loadData, loadStrategy, parseDate } from "@/server/cli/load";

describe("parseDate", () => {
  it("reads dates as 00:00 UTC and full ISO times as given", () => {
    expect(parseDate("2020-02-29", "from")).toBe(Date.UTC(2020, 1, 29));
    expect(parseDate("2020-01-31T15:30:00Z", "to")).toBe(Date.UTC(2020, 0, 31, 15, 30));
  });

  it.each(["2020-13-01", "2021-02-29", "31/01/2020", "yesterday", ""])("rejects %j naming the flag", (raw) => {
    expect(() => parseDate(raw, "from")).toThrow(/--from must be a date like 2020-01-31/);
  });
});

describe("loadStrategy", () => {
  it("finds examples by name and reports unknown names with the list", () => {
    expect(loadStrategy("gap-up")).toEqual({ source: EXAMPLES["gap-up"].source, origin: "example:gap-up" });
    expect(() => loadStrategy("nope")).toThrow(LoadError);
    expect(() => loadStrategy("nope")).toThrow(/sma-cross, rsi-volume/);
  });
});

describe("loadData", () => {
  it("reads a CSV file and names the symbol after the file", () => {
    const data = loadData("../shared/data/GOOG.csv");
    expect(data.universe[0].symbol).toBe("GOOG");
    expect(data.universe[0].close[0]).toBe(100.34);
    expect(data.synthetic).toBe(false);
  });

  it("generates demo symbols and universes with fundamentals, labelled synthetic", () => {
    const [first, second] = resolveUniverse("demo-2");
    const one = loadData(`demo:${first.toLowerCase()}`, { years: 1 });
    expect(one.synthetic).toBe(true);
    expect([...one.universe[0].close]).toEqual([...generateDemoSeries(first, { years: 1 }).series.close]);
    expect(one.fundamentals[first].pe).toHaveLength(252);
    const uni = loadData("demo-2", { years: 1 });
    expect(uni.universe.map((s) => s.symbol)).toEqual([first, second]);
  });

  it("explains what it accepts when nothing matches", () => {
    expect(() => loadData("no-such-thing")).toThrow(/not a CSV file, demo:SYMBOL, or a universe name/);
    expect(() => loadData("demo:NOTADEMOSYMBOL")).toThrow(/not a demo symbol/);
  });
});
