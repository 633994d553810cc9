/**
 * A REST or tRPC study may use the CLI's text forms ("5:30:5", "sharpe:max", "folds=5,anchored",
 * "20,top=3", "a,b") beside the object forms; both parse to the same study, and a bad text names
 * its field and what was expected.
 */
import { describe, expect, it } from "vitest";
import { studySchema } from "@/lib/schemas/study";

describe("study text forms", () => {
  it("parse to the same study as the object forms", () => {
    const text = studySchema.parse({
      method: "tpe",
      ranges: { fast: "5:30:5", slow: "20:100", vol: "0.01:1:log" },
      choices: { kind: "ema,sma", short: "true,false", n: "1,2" },
      objectives: ["sharpe:max"],
      trials: 10,
      walk_forward: "folds=4,anchored",
      subset: "20,top=2",
    });
    const objects = studySchema.parse({
      method: "tpe",
      ranges: {
        fast: { min: 5, max: 30, step: 5 },
        slow: { min: 20, max: 100 },
        vol: { min: 0.01, max: 1, log: true },
      },
      choices: { kind: ["ema", "sma"], short: [true, false], n: [1, 2] },
      objectives: [{ metric: "sharpe", direction: "maximize" }],
      trials: 10,
      walk_forward: { folds: 4, anchored: true },
      subset: { n: 20, top: 2 },
    });
    expect(text).toEqual(objects);
    expect(studySchema.parse({ objectives: ["max_drawdown_pct:min"], trials: 1 }).objectives).toEqual([
      { metric: "max_drawdown_pct", direction: "minimize" },
    ]);
  });

  it("name the field of a bad text and what was expected", () => {
    const issues = (study: unknown) =>
      (studySchema.safeParse(study).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ ranges: { fast: "5" }, trials: 1 })).toEqual([
      'ranges.fast: use min:max or min:max:step (optionally :log), got "5"',
    ]);
    expect(issues({ ranges: { fast: "a:b" }, trials: 1 })).toEqual(['ranges.fast: "a" is not a number']);
    expect(issues({ ranges: { fast: "30:5" }, trials: 1 })).toEqual([
      "ranges.fast.min: min must not be greater than max",
    ]);
    expect(issues({ objectives: ["sharpe:up"], trials: 1 })).toEqual([
      'objectives.0: use metric[:max|:min], got "sharpe:up"',
    ]);
    expect(issues({ objectives: ["nope"], trials: 1 })[0]).toMatch(/^objectives\.0\.metric: Unknown objective metric/);
    expect(issues({ walk_forward: "folds=x", trials: 1 })).toEqual(['walk_forward: "x" is not a number']);
    expect(issues({ subset: "10,bottom=2", trials: 1 })).toEqual(['subset: use N[,top=K], got "10,bottom=2"']);
    expect(issues({ choices: { k: " , " }, trials: 1 })).toEqual(["choices.k: the list is empty"]);
  });
});
