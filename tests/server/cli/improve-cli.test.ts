/** `lab improve`: the --json contract, --out, and bad input naming the flag; run in-process through the sandbox. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CliError } from "@/server/cli/args";
import { run as improve } from "@/server/cli/commands/improve";

function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  return { out: () => out.join("") };
}
afterEach(() => vi.restoreAllMocks());

describe("lab improve", () => {
  it("--json prints one object with the contract's fields; --out writes the best code", async () => {
    const io = capture();
    const file = join(mkdtempSync(join(tmpdir(), "improve-cli-")), "best.ts");
    const code = await improve([
      "--strategy",
      "sma-cross",
      "--data",
      "demo-3",
      "--iterations",
      "2",
      "--trials",
      "3",
      "--seed",
      "1",
      "--out",
      file,
      "--json",
    ]);
    expect(code).toBe(0);
    const body = JSON.parse(io.out());
    expect(["met", "not_met"]).toContain(body.status);
    expect(body.iterations.length).toBeGreaterThanOrEqual(1);
    for (const it of body.iterations) {
      expect(Object.keys(it)).toEqual(
        expect.arrayContaining([
          "n",
          "stages",
          "version",
          "diff",
          "validation",
          "failed_constraints",
          "accepted",
          "reason",
        ]),
      );
      expect(it.stages).toEqual([
        "market_regime",
        "diagnosis",
        "patch",
        "checks",
        "parameter_study",
        "validation",
        "decision",
      ]);
      expect(it.validation).toHaveProperty("metrics");
      for (const c of it.failed_constraints)
        expect(Object.keys(c)).toEqual(expect.arrayContaining(["name", "value", "threshold"]));
    }
    expect(Object.keys(body.best)).toEqual(expect.arrayContaining(["iteration", "code", "params"]));
    expect(body.best.validation).toHaveProperty("metrics");
    expect(body.best.holdout.metrics).not.toBeNull();
    expect(body.overfitting.n_trials).toBeGreaterThan(1);
    expect(body).toHaveProperty("overfitting.dsr");
    expect(body.prompt_proposal).toBeNull();
    expect(body.status === "met").toBe(body.unmet_constraints.length === 0);
    expect(readFileSync(file, "utf8")).toBe(body.best.code);
  }, 120_000);

  it.each([
    [["--iterations", "0"], /--iterations: iterations must be at least 1/],
    [["--iterations", "50"], /--iterations: iterations must be at most 20/],
    [["--holdout", "1"], /--holdout: holdout must be below 1/],
    [["--min-win-rate", "2"], /--min-win-rate/],
    [["--min-return", "x"], /--min-return must be a number/],
    [["--improvement-threshold", "-1"], /--improvement-threshold/],
    [["--model", "nowhere:model"], /--model: Model "nowhere:model" is not available/],
  ])("%j exits non-zero naming the flag", async (extra, message) => {
    const err = await improve(["--strategy", "sma-cross", "--data", "demo:AAPL", ...extra]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
  });
});
