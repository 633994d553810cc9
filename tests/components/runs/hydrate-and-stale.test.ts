/** The hydrate run's result view and the stale-data notice on the run page (server-rendered markup). */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HydrateRunResult } from "@/components/data/hydrate-run-result";
import { StaleNotice, staleOf } from "@/components/runs/stale-notice";
import type { TaggedRunResult } from "@/lib/runs/kinds";

describe("hydrate result and stale notice", () => {
  it("lists every symbol's outcome with its reason", () => {
    const html = renderToStaticMarkup(
      createElement(HydrateRunResult, {
        result: {
          hydrationId: "h",
          provider: "polygon",
          universe: "api-hydrated",
          from: "2024-01-01",
          to: "2024-03-01",
          total: 3,
          ok: 1,
          noData: 1,
          error: 1,
          bars: 1200,
          symbols: [
            { symbol: "AAA", status: "ok", bars: 1200, reason: null },
            { symbol: "EMPTY", status: "no_data", bars: 0, reason: "polygon returned no bars in the range" },
            { symbol: "JUNK", status: "error", bars: 0, reason: "polygon: not JSON" },
          ],
        },
      }),
    );
    expect(html).toContain("1 of 3 symbols hydrated from <b>polygon</b>");
    expect(html).toContain("1,200 bars written, 1 without data, 1 failed");
    expect(html.match(/data-testid="hydrate-symbol"/g)).toHaveLength(3);
    expect(html).toContain('data-status="error"');
    expect(html).toContain("polygon: not JSON");
  });

  it("names each stale symbol with its last bar, and shows nothing when none is stale", () => {
    const stale = [{ symbol: "AAA", lastBar: "2024-01-04", tradingDaysBehind: 6 }];
    const run = { kind: "screen", result: { stale } } as unknown as TaggedRunResult;
    expect(staleOf(run)).toEqual(stale);
    expect(staleOf({ kind: "alert", result: { alerts: [] } } as unknown as TaggedRunResult)).toEqual([]);
    const html = renderToStaticMarkup(createElement(StaleNotice, { stale }));
    expect(html).toContain('data-testid="run-stale"');
    expect(html).toContain("1 symbol ended more than 5 trading days before this run");
    expect(html).toContain("<b>AAA</b>: last bar 2024-01-04 (6 trading days behind)");
    expect(renderToStaticMarkup(createElement(StaleNotice, { stale: [] }))).toBe("");
  });
});
