/**
 * The offline generator against its request corpus (tests/fixtures/rules/generation-corpus.json):
 * every request is parsed, compared with the plan a careful reader takes from it, turned into
 * code, run in the real sandbox on demo data and checked bar by bar against the plan's direct
 * evaluation. Outcomes: faithful (plan as expected, code matches), refused honestly (no
 * strategy, or something reported as not understood), silently unfaithful (anything else).
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { formatPlan, generateFromRequest, sameReading } from "@/lib/rules";
import { checkFaithfulness } from "@/server/ai/faithfulness";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";

interface Corpus {
  groups: { expect: string; requests: string[] }[];
  refuse: string[];
  partial: string[];
}
const corpus = JSON.parse(readFileSync("tests/fixtures/rules/generation-corpus.json", "utf8")) as Corpus;
const data = demoSample("demo-500", 6, 3);

afterAll(() => shutdownSandbox());

describe("faithfulness check", () => {
  it("catches code written for other numbers or another rule", async () => {
    const asked = generateFromRequest(
      "Buy when the 50-day SMA crosses above the 200-day SMA and sell on the reverse cross",
    );
    const other = generateFromRequest(
      "Buy when the 20-day SMA crosses above the 50-day SMA and sell on the reverse cross",
    );
    const rsi = generateFromRequest("Buy when RSI(14) is below 30 and sell when RSI(14) is above 70");
    if (!asked.plan || !other.code || !rsi.code || !asked.code) throw new Error("the requests are understood");
    const same = await checkFaithfulness(asked.plan, asked.code, data, { symbols: 3 });
    expect(same.ok && same.first === null && same.signalBars > 0, "the code written from the plan matches it").toBe(
      true,
    );
    for (const code of [other.code, rsi.code]) {
      const r = await checkFaithfulness(asked.plan, code, data, { symbols: 3 });
      expect(r.ok && r.first !== null, "code for another request is caught").toBe(true);
    }
  });
});

describe("offline generation corpus", () => {
  it("has at least 200 requests", () => {
    const total =
      corpus.groups.reduce((a, g) => a + g.requests.length, 0) + corpus.refuse.length + corpus.partial.length;
    expect(total).toBeGreaterThanOrEqual(200);
  });

  it("is faithful on at least 95% of the requests, refuses the rest honestly, and is never silently unfaithful", async () => {
    let faithful = 0;
    let refused = 0;
    let signalBars = 0;
    const silent: string[] = [];
    const unfaithful: string[] = [];
    const all = corpus.groups.flatMap((g) => g.requests.map((request) => ({ request, expect: g.expect })));
    for (const { request, expect: want } of all) {
      const g = generateFromRequest(request);
      if (!g.plan || !g.code) {
        refused += 1;
        continue;
      }
      const check = await checkFaithfulness(g.plan, g.code, data, { symbols: 3 });
      if (!check.ok || check.first) {
        unfaithful.push(
          `${request}: code differs from its plan (${check.ok ? JSON.stringify(check.first) : check.error})`,
        );
        continue;
      }
      signalBars += check.signalBars;
      if (check.signalBars === 0) silent.push(request);
      if (g.notUnderstood.length > 0) refused += 1;
      else if (sameReading(formatPlan(g.plan), want)) faithful += 1;
      else unfaithful.push(`${request}: read as ${formatPlan(g.plan)}, expected ${want}`);
    }
    for (const request of corpus.refuse) {
      const g = generateFromRequest(request);
      if (g.code !== null)
        unfaithful.push(
          `${request}: wrote a strategy (${g.plan ? formatPlan(g.plan) : ""}) for a request it should refuse`,
        );
      else {
        expect(g.message, request).toMatch(/No strategy was written/);
        refused += 1;
      }
    }
    for (const request of corpus.partial) {
      const g = generateFromRequest(request);
      if (g.notUnderstood.length === 0) unfaithful.push(`${request}: reported nothing as not understood`);
      else refused += 1;
    }
    const total = all.length + corpus.refuse.length + corpus.partial.length;
    console.info(
      `[corpus] ${total} requests: ${faithful} faithful, ${refused} refused honestly, ${unfaithful.length} unfaithful; ${signalBars} signal bars compared, ${silent.length} plans never fired on the sample`,
    );
    expect(silent.length, `plans with no signal bar to compare: ${silent.join(" / ")}`).toBeLessThanOrEqual(
      all.length * 0.1,
    );
    expect(unfaithful, "silently unfaithful requests").toEqual([]);
    expect(faithful / all.length, "share faithful among requests that have a plan").toBeGreaterThanOrEqual(0.95);
  }, 240_000);
});
