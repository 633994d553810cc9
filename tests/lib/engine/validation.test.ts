/** Bad input is refused with a typed error naming symbol, bar and problem. */
import { describe, expect, it } from "vitest";
import { simulate } from "@/lib/engine/simulate";
import { InvalidConfigError, InvalidInputError, type InputProblem } from "@/lib/engine/errors";
import type { BarSeries } from "@/lib/data/bars";
import { flat, sig } from "./helpers";

function expectProblem(fn: () => unknown, problem: InputProblem, symbol: string, bar: number) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    const err = e as InvalidInputError;
    expect({ problem: err.problem, symbol: err.symbol, bar: err.bar }).toEqual({ problem, symbol, bar });
    expect(err.message).toContain(symbol);
    return;
  }
  throw new Error(`expected ${problem}`);
}

const good = () => flat("X", [10, 11, 12, 13]);
const with_ = (patch: (s: BarSeries) => void) => {
  const s = good();
  patch(s);
  return s;
};
const ok = sig(4, {});

describe("input validation", () => {
  it("rejects NaN / Infinity prices", () => {
    expectProblem(() => simulate([with_((s) => (s.close[2] = NaN))], [ok]), "non_finite_price", "X", 2);
    expectProblem(() => simulate([with_((s) => (s.high[1] = Infinity))], [ok]), "non_finite_price", "X", 1);
  });
  it("rejects non-positive prices", () =>
    expectProblem(
      () =>
        simulate(
          [
            with_((s) => {
              s.low[3] = 0;
            }),
          ],
          [ok],
        ),
      "non_positive_price",
      "X",
      3,
    ));
  it("rejects high < low", () =>
    expectProblem(
      () =>
        simulate(
          [
            with_((s) => {
              s.high[1] = 9;
              s.low[1] = 10;
              s.open[1] = 9.5;
              s.close[1] = 9.5;
            }),
          ],
          [ok],
        ),
      "high_below_low",
      "X",
      1,
    ));
  it("rejects unsorted and duplicate timestamps", () => {
    expectProblem(
      () => simulate([with_((s) => (s.timestampsMs[2] = s.timestampsMs[0]))], [ok]),
      "unsorted_timestamps",
      "X",
      2,
    );
    expectProblem(
      () => simulate([with_((s) => (s.timestampsMs[2] = s.timestampsMs[1]))], [ok]),
      "duplicate_timestamps",
      "X",
      2,
    );
  });
  it("rejects empty series and misaligned arrays", () => {
    expectProblem(() => simulate([flat("E", [])], [sig(0, {})]), "empty_series", "E", -1);
    expectProblem(() => simulate([with_((s) => (s.open = s.open.slice(0, 3)))], [ok]), "misaligned_arrays", "X", -1);
  });
  it("rejects signals longer or shorter than the bars", () => {
    expectProblem(() => simulate([good()], [sig(5, {})]), "signal_length", "X", -1);
    expectProblem(() => simulate([good()], [{ ...ok, shortEntries: new Uint8Array(3) }]), "signal_length", "X", -1);
  });
  it("rejects a universe whose timestamps differ", () => {
    const b = with_((s) => {
      s.symbol = "Y";
      s.timestampsMs[3] += 1;
    });
    expectProblem(() => simulate([good(), b], [ok, ok]), "misaligned_universe", "Y", 3);
  });
  it("rejects impossible config values", () => {
    expect(() => simulate([good()], [ok], { costs: { commissionRate: -0.1 } })).toThrow(InvalidConfigError);
    expect(() => simulate([good()], [ok], { portfolio: { maxPositions: 0 } })).toThrow(/maxPositions/);
  });
});
