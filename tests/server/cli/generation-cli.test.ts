/** `lab generate` honesty surfaces and `lab eval-generation` counts, run in-process with the offline generator. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run as evalGeneration } from "@/server/cli/commands/eval-generation";
import { run as generate } from "@/server/cli/commands/generate";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(""), err: () => err.join("") };
}

afterEach(() => vi.restoreAllMocks());
const dir = mkdtempSync(join(tmpdir(), "gen-cli-"));

describe("lab generate", () => {
  it("--json gives the rules in words, what was not understood and the code", async () => {
    const io = capture();
    const code = await generate([
      "--json",
      "--quiet",
      "Buy when RSI(14) is below 30 and the VIX is below 20; sell when RSI(14) is above 70",
    ]);
    expect(code).toBe(0);
    const body = JSON.parse(io.out());
    expect(body.understood).toEqual(["Enter long when RSI(14) is below 30.", "Exit when RSI(14) is above 70."]);
    expect(body.not_understood).toEqual(["vix", "below 20"]);
    expect(body.code).toMatch(/^\/\/ not understood: vix; below 20\n/);
    expect(body.faithfulness).toMatchObject({ ok: true });
  }, 60_000);

  it("--out writes the not-understood comment at the top of the file and says it on stderr", async () => {
    const io = capture();
    const file = join(dir, "s.ts");
    expect(await generate(["--out", file, "Buy after 3 down days in a row when the moon is full"])).toBe(0);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("// not understood: moon; full");
    expect(io.err()).toMatch(/not understood: moon; full/);
  }, 60_000);

  it("writes nothing and explains when nothing is understood", async () => {
    const io = capture();
    expect(await generate(["--json", "--quiet", "make me money"])).toBe(1);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({ code: null, understood: [], not_understood: ["make", "money"] });
    expect(body.error).toMatch(/No strategy was written.*It understands requests like/);
  }, 60_000);
});

describe("lab eval-generation", () => {
  it("counts faithful, refused and unfaithful requests of a set", async () => {
    const set = join(dir, "set.json");
    writeFileSync(
      set,
      JSON.stringify([
        {
          request: "Buy when the 50-day SMA crosses above the 200-day SMA and sell on the reverse cross",
          expect: "long: sma50 x> sma200 | exit: sma50 x< sma200",
        },
        "Buy after three consecutive down days and sell after two up days",
        { request: "Buy when RSI(14) is below 30", expect: "long: rsi14 < 25 | hold 20" },
        { request: "make me money", expect: "refuse" },
        "buy when RSI(14) is below 30 unless the market is falling",
      ]),
    );
    const io = capture();
    expect(await evalGeneration(["--set", set, "--json"]), "exit 1: one request read differently than expected").toBe(
      1,
    );
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({ model: "offline:template", total: 5, faithful: 2, refused: 2, unfaithful: 1 });
    expect(body.results[2]).toMatchObject({
      outcome: "unfaithful",
      reason: "read as long: rsi14 < 30 | hold 20, expected long: rsi14 < 25 | hold 20",
    });
  }, 120_000);
});
