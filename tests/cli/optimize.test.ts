/** `npm run lab -- optimize`, spawned as a user runs it: the JSON contract and bad input. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function lab(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npm", ["run", "-s", "lab", "--", ...args], {
    cwd: process.cwd(),
    encoding: "utf8",
    env: { ...process.env, LAB_DEBUG: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("lab optimize", () => {
  it("--json prints one object with the issue's keys; trials, best in/out of sample, importance, overfitting, walk-forward", () => {
    const r = lab(
      "optimize",
      "--data",
      "../shared/data/GOOG.csv",
      "--strategy",
      "sma-cross",
      "--range",
      "fast=5:30:5",
      "--range",
      "slow=20:80:20",
      "--constraint",
      "fast < slow",
      "--method",
      "tpe",
      "--trials",
      "20",
      "--seed",
      "4",
      "--objective",
      "sharpe:max",
      "--holdout",
      "0.3",
      "--walk-forward",
      "folds=2,anchored",
      "--commission",
      "0.002",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of [
      "method",
      "n_trials",
      "n_pruned",
      "n_failed",
      "stop_reason",
      "trials",
      "best",
      "importance",
      "overfitting",
      "walk_forward",
    ])
      expect(out, k).toHaveProperty(k);
    expect(out.method).toBe("tpe");
    expect(out.n_trials).toBe(20);
    expect(out.stop_reason).toBe("n_trials");
    const t = out.trials[0];
    for (const k of ["number", "params", "state", "value", "metrics"]) expect(t, k).toHaveProperty(k);
    expect(t.metrics).toHaveProperty("sharpe");
    expect(out.best.in_sample.metrics).toHaveProperty("sharpe");
    expect(out.best.out_of_sample.metrics).toHaveProperty("sharpe");
    for (const k of [
      "n_trials",
      "sharpe_variance",
      "expected_max_sharpe",
      "psr",
      "dsr",
      "pbo",
      "skew",
      "kurtosis",
      "t",
    ])
      expect(out.overfitting, k).toHaveProperty(k);
    expect(out.overfitting.frequency).toBe("per_bar");
    expect(out.walk_forward.folds).toHaveLength(2);
    for (const k of ["train", "test", "params", "metrics"]) expect(out.walk_forward.folds[0], k).toHaveProperty(k);
    expect(out.walk_forward.out_of_sample.metrics).toHaveProperty("sharpe");
    expect(out.walk_forward).toHaveProperty("efficiency");
    // same seed → same trial sequence
    const again = JSON.parse(
      lab(
        "optimize",
        "--data",
        "../shared/data/GOOG.csv",
        "--strategy",
        "sma-cross",
        "--range",
        "fast=5:30:5",
        "--range",
        "slow=20:80:20",
        "--constraint",
        "fast < slow",
        "--method",
        "tpe",
        "--trials",
        "20",
        "--seed",
        "4",
        "--holdout",
        "0.3",
        "--commission",
        "0.002",
        "--json",
      ).stdout,
    );
    expect(again.trials.map((x: { params: unknown }) => x.params)).toEqual(
      out.trials.map((x: { params: unknown }) => x.params),
    );
  });

  it("nsga2 with two objectives: values per trial and a Pareto front; a JSON larger than a pipe buffer arrives whole", () => {
    const r = lab(
      "optimize",
      "--data",
      "../shared/data/GOOG.csv",
      "--strategy",
      "sma-cross",
      "--range",
      "fast=5:50",
      "--range",
      "slow=10:200",
      "--constraint",
      "fast < slow",
      "--method",
      "nsga2",
      "--objective",
      "sharpe:max",
      "--objective",
      "max_drawdown_pct:max",
      "--trials",
      "100",
      "--seed",
      "2",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(65_536);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe("nsga2");
    expect(out.trials[0].values).toHaveLength(2);
    expect(out.trials[0]).not.toHaveProperty("value");
    expect(out.pareto_front.length).toBeGreaterThan(0);
  });

  it("bad input exits non-zero naming the flag", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--range", "fast=30:5", "--trials", "5"], /--range fast.*min must not be greater than max/],
      [["--range", "fast=5:30:0", "--trials", "5"], /--range fast.*step must be greater than 0/],
      [["--range", "fast=5:30", "--trials", "0"], /--trials.*at least 1/],
      [["--range", "fast=5:30", "--trials", "5", "--objective", "bogus"], /--objective.*Unknown objective metric/],
      [
        ["--range", "fast=5:30", "--trials", "5", "--constraint", "fast < nope"],
        /--constraint.*unknown parameter "nope"/,
      ],
      [
        ["--range", "fast=2:200", "--range", "slow=3:400", "--method", "grid", "--max-combos", "500"],
        /--range.*over the limit of 500/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = lab("optimize", "--data", "../shared/data/GOOG.csv", "--strategy", "sma-cross", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe("");
    }
  });
});
