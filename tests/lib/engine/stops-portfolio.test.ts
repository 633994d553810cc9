/** Intrabar stops, multi-asset slots, benchmark and no-look-ahead, on hand-made series. */
import { describe, expect, it } from "vitest";
import { simulate } from "@/lib/engine/simulate";
import { bars, flat, sig } from "./helpers";

describe("intrabar stops (long entered at 100 on bar 1's open)", () => {
  const run = (bar2: [number, number, number, number], stops: object) =>
    simulate(
      [bars("S", [[100, 100, 100, 100], [100, 101, 99, 100], bar2, [100, 100, 100, 100]])],
      [sig(4, { entries: [0] })],
      { initialCash: 1000, stops },
    );
  it("stop-loss touched by the low fills at the stop level", () => {
    expect(run([100, 101, 90, 95], { stopLossPct: 0.05 }).trades[0]).toMatchObject({
      exitBar: 2,
      exitPrice: 95,
      exitReason: "stop_loss",
    });
  });
  it("a gap through the stop fills at the open", () => {
    expect(run([92, 93, 90, 91], { stopLossPct: 0.05 }).trades[0]).toMatchObject({
      exitPrice: 92,
      exitReason: "stop_loss",
    });
  });
  it("take-profit touched by the high fills at the target; a gap above fills at the open", () => {
    const hit = run([100, 112, 99, 105], { takeProfitPct: 0.1 }).trades[0];
    expect(hit.exitReason).toBe("take_profit");
    expect(hit.exitPrice).toBeCloseTo(110, 10);
    expect(run([115, 116, 114, 115], { takeProfitPct: 0.1 }).trades[0]).toMatchObject({
      exitPrice: 115,
      exitReason: "take_profit",
    });
  });
  it("assumes the stop first when stop and target are both inside one bar", () => {
    expect(run([100, 115, 90, 100], { stopLossPct: 0.05, takeProfitPct: 0.1 }).trades[0]).toMatchObject({
      exitPrice: 95,
      exitReason: "stop_loss",
    });
  });
  it("trails the best high seen before the bar", () => {
    // Best after bar 1 = 101 → trail 101 × 0.95 = 95.95 on bar 2.
    const t = run([100, 100, 95, 96], { trailingStopPct: 0.05 }).trades[0];
    expect(t.exitReason).toBe("trailing_stop");
    expect(t.exitPrice).toBeCloseTo(95.95, 10);
  });
  it("uses absolute per-bar levels from the signal bar", () => {
    const s = bars("S", [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [100, 101, 97, 99],
      [100, 100, 100, 100],
    ]);
    const r = simulate([s], [sig(4, { entries: [0] }, { stopLoss: new Float64Array([98, NaN, NaN, NaN]) })], {
      initialCash: 1000,
    });
    expect(r.trades[0]).toMatchObject({ exitBar: 2, exitPrice: 98, exitReason: "stop_loss" });
  });
  it("mirrors stops for shorts", () => {
    const s = bars("S", [
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [100, 106, 99, 104],
      [100, 100, 100, 100],
    ]);
    const r = simulate([s], [sig(4, { shortEntries: [0] })], { initialCash: 1000, stops: { stopLossPct: 0.05 } });
    expect(r.trades[0]).toMatchObject({ side: "short", exitPrice: 105, exitReason: "stop_loss" });
  });
});

describe("multi-asset portfolio", () => {
  const a = flat("A", [10, 10, 12, 12]),
    b = flat("B", [10, 10, 11, 11]),
    c = flat("C", [10, 10, 9, 9]);
  const score = (v: number) => new Float64Array([v, v, v, v]);
  it("fills the free slots by score (desc), NaN last, ties in symbol order", () => {
    const r = simulate(
      [a, b, c],
      [
        sig(4, { entries: [0] }, { score: score(1) }),
        sig(4, { entries: [0] }, { score: score(NaN) }),
        sig(4, { entries: [0] }, { score: score(2) }),
      ],
      { initialCash: 3000, portfolio: { maxPositions: 2 } },
    );
    // Default fraction = 1 / maxPositions: C first (score 2), A second; B (NaN) gets no slot.
    expect(r.openPositions.map((p) => p.symbol)).toEqual(["C", "A"]);
    expect(r.openPositions.map((p) => p.size)).toEqual([150, 150]);
    expect(r.positions[1][3]).toBe(0);
    const tie = simulate([a, b], [sig(4, { entries: [0] }), sig(4, { entries: [0] })], {
      initialCash: 1000,
      portfolio: { maxPositions: 1 },
    });
    expect(tie.openPositions[0].symbol).toBe("A");
  });
  it("shares cash: equity = cash + Σ units × close", () => {
    const r = simulate([a, b], [sig(4, { entries: [0] }), sig(4, { entries: [0] })], { initialCash: 1000 });
    // 500 each → 50 units each at 10. Last bar: 50 × 12 + 50 × 11.
    expect(r.equity[3]).toBe(50 * 12 + 50 * 11);
    expect(r.grossExposure[3]).toBe(1);
  });
  it("benchmarks equal-weight buy-and-hold from the first close", () => {
    const r = simulate([a, c], [sig(4, {}), sig(4, {})], { initialCash: 1000 });
    expect(r.benchmarkEquity[3]).toBeCloseTo(500 * 1.2 + 500 * 0.9, 10);
  });
});

describe("no look-ahead", () => {
  // Every move happens overnight: open = close of the same bar, so a peeking signal has nothing left to catch.
  const prices = [100, 103, 99, 104, 101, 107, 102, 108, 103, 110];
  const s = flat("P", prices);
  const n = prices.length;
  const peek = sig(n, {});
  for (let i = 0; i < n - 1; i++) {
    peek.entries[i] = prices[i + 1] > prices[i] ? 1 : 0; // built by peeking at tomorrow's close
    peek.exits[i] = prices[i + 1] <= prices[i] ? 1 : 0;
  }
  it("a strategy that peeks at the next close does not get the peeked price", () => {
    const r = simulate([s], [peek], { initialCash: 10_000, closeAtEnd: true });
    for (const t of r.trades) expect(t.entryPrice, "entry at the next open, after the jump").toBe(prices[t.entryBar]);
    expect(r.trades.every((t) => t.entryBar >= 1)).toBe(true);
    const perfect = prices.slice(1).reduce((acc, p, i) => acc * Math.max(1, p / prices[i]), 1);
    expect(r.equity[n - 1]).toBeLessThan(10_000 * perfect);
  });
  it("equity up to bar k does not depend on bars after k", () => {
    const g = bars(
      "G",
      prices
        .map((p, i) => [p, p + 2, p - 2, prices[(i + 1) % n]] as [number, number, number, number])
        .map(([o, h, l, c]) => [o, Math.max(h, c), Math.min(l, c), c]),
    );
    const full = simulate([g], [peek], { initialCash: 10_000, stops: { trailingStopPct: 0.02 } });
    for (const k of [3, 6, 8]) {
      const cut = {
        ...g,
        timestampsMs: g.timestampsMs.slice(0, k),
        open: g.open.slice(0, k),
        high: g.high.slice(0, k),
        low: g.low.slice(0, k),
        close: g.close.slice(0, k),
        volume: g.volume.slice(0, k),
      };
      const part = simulate([cut], [{ entries: peek.entries.slice(0, k), exits: peek.exits.slice(0, k) }], {
        initialCash: 10_000,
        stops: { trailingStopPct: 0.02 },
      });
      expect(Array.from(part.equity)).toEqual(Array.from(full.equity.slice(0, k)));
    }
  });
});
