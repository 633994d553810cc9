/** Report metrics on a hand-made run, every expectation computed in the test. */
import { describe, expect, it } from "vitest";
import { simulate } from "@/lib/engine/simulate";
import { buildReport, REPORT_KEYS } from "@/lib/engine/report";
import { flat, sig } from "./helpers";

describe("buildReport", () => {
  // Buy 10 at 100 (bar 1 open), sell at 120 (bar 3 open); buy 12 at 100 (bar 5), sell at 90 (bar 6).
  const s = flat("R", [100, 100, 110, 120, 100, 100, 90, 90]);
  const r = simulate([s], [sig(8, { entries: [0, 4], exits: [2, 5] })], { initialCash: 1000 });
  const rep = buildReport(r, { periodsPerYear: 252 });
  const eq = [1000, 1000, 1100, 1200, 1200, 1200, 1080, 1080];

  it("follows the equity curve and trades", () => {
    expect(Array.from(r.equity)).toEqual(eq);
    const rets = eq.slice(1).map((e, i) => e / eq[i] - 1);
    const m = rets.reduce((a, b) => a + b, 0) / rets.length;
    const sd = Math.sqrt(rets.reduce((a, b) => a + (b - m) ** 2, 0) / (rets.length - 1));
    const down = Math.sqrt(rets.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / rets.length);
    expect(rep.final_equity).toBe(1080);
    expect(rep.total_return_pct).toBeCloseTo(8, 12);
    expect(rep.sharpe).toBeCloseTo((m / sd) * Math.sqrt(252), 12);
    expect(rep.sortino).toBeCloseTo((m / down) * Math.sqrt(252), 12);
    expect(rep.volatility_pct).toBeCloseTo(sd * Math.sqrt(252) * 100, 10);
    expect(rep.cagr_pct).toBeCloseTo((Math.pow(1.08, 252 / 7) - 1) * 100, 6);
    expect(rep.max_drawdown_pct).toBeCloseTo((1080 / 1200 - 1) * 100, 12);
    expect(rep.max_drawdown_duration_bars).toBe(2); // last bar at the peak is 5 (1200 again) → below through bar 7
    expect(rep.num_trades).toBe(2);
    expect(rep.win_rate_pct).toBe(50);
    expect(rep.best_trade_pct).toBeCloseTo(20, 12);
    expect(rep.worst_trade_pct).toBeCloseTo(-10, 12);
    expect(rep.avg_trade_pct).toBeCloseTo((Math.sqrt(1.2 * 0.9) - 1) * 100, 10);
    expect(rep.expectancy_pct).toBeCloseTo(5, 12);
    expect(rep.profit_factor).toBeCloseTo(200 / 120, 12);
    expect(rep.sqn).toBeCloseTo((Math.sqrt(2) * 40) / Math.sqrt(((200 - 40) ** 2 + (-120 - 40) ** 2) / 1), 12);
    expect(rep.exposure_pct).toBeCloseTo((3 / 8) * 100, 12); // held at the close of bars 1, 2, 5
    expect(rep.avg_trade_duration_bars).toBe(1.5);
    expect(rep.buy_hold_return_pct).toBeCloseTo(-10, 12);
  });

  it("has every contract key and serializes non-finite values as null", () => {
    const none = buildReport(simulate([s], [sig(8, {})], {}));
    expect(Object.keys(none).sort()).toEqual([...REPORT_KEYS].sort());
    expect(none.win_rate_pct).toBeNull();
    expect(none.profit_factor).toBeNull();
    expect(none.sharpe).toBeNull();
    const json = JSON.parse(JSON.stringify(none));
    expect(json.num_trades).toBe(0);
    expect(json.sqn).toBeNull();
  });
});
