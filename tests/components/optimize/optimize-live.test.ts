/** The live panel of a running study (server-rendered markup): trial count of the budget, counts, best so far, ETA, chart. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OptimizeLiveView } from "@/components/optimize/optimize-live";
import { summarizeLiveStudy } from "@/lib/optimize/live";

const text = (html: string, testId: string) =>
  new RegExp(`data-testid="${testId}"[^>]*>([^<]*(?:<[^/][^>]*>[^<]*)*)<`).exec(html)?.[1]?.replace(/<[^>]+>/g, "");

describe("OptimizeLiveView", () => {
  it("shows trials of the budget, pruned/failed/infeasible, the best so far with its trial, the ETA and the chart", () => {
    const live = summarizeLiveStudy(
      [
        { number: 0, state: "complete", value: 0.25 },
        { number: 1, state: "pruned", value: null },
        { number: 2, state: "complete", value: 1.5 },
        { number: 3, state: "infeasible", value: 9 },
      ],
      { direction: "maximize", budget: 1200, elapsedMs: 4000 },
    );
    const html = renderToStaticMarkup(
      createElement(OptimizeLiveView, { live, metric: "sharpe", budget: 1200, stream: "live" }),
    );
    expect(text(html, "live-trials")).toBe("4 / 1,200");
    expect(text(html, "live-counts")).toBe("1 · 0 · 1");
    expect(text(html, "live-best")).toBe("1.500 (trial #2)");
    // 1 s per trial, 1,196 left → 19 min 56 s
    expect(text(html, "live-eta")).toBe("19 min 56 s");
    expect(html).toContain('data-testid="live-history" data-points="4"');
    expect(html).not.toContain("reconnecting");
  });

  it("before the first trial it says it is waiting; a dropped stream says so", () => {
    const live = summarizeLiveStudy([], { direction: "minimize", budget: null, elapsedMs: 0 });
    const html = renderToStaticMarkup(
      createElement(OptimizeLiveView, { live, metric: "max_drawdown_pct", budget: null, stream: "reconnecting" }),
    );
    expect(text(html, "live-trials")).toBe("0");
    expect(text(html, "live-best")).toBe("—");
    expect(text(html, "live-eta")).toBe("—");
    expect(html).toContain('data-testid="live-waiting"');
    expect(html).toContain("reconnecting");
  });
});
