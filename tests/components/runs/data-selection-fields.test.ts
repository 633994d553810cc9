/** The universe-or-symbols picker both forms share: same ids as before, each form's option order, one conversion. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataSelectionFields, selectedData, type DataSelection } from "@/components/runs/data-selection-fields";

const universes = [{ name: "demo-tech", description: "Tech", symbols: 40 }];
const noop = () => undefined;

describe("DataSelectionFields", () => {
  it("renders the screen form's picker: universe first, ids screen-source / screen-universe", () => {
    const html = renderToStaticMarkup(
      createElement(DataSelectionFields, {
        idPrefix: "screen",
        label: "Screen",
        universes,
        value: { source: "universe", universe: "demo-tech", symbols: "" },
        onChange: noop,
      }),
    );
    expect(html).toContain('data-testid="screen-source"');
    expect(html).toContain('data-testid="screen-universe"');
    expect(html).not.toContain("screen-symbols");
    expect(html.indexOf("a universe")).toBeLessThan(html.indexOf("a list of symbols"));
  });

  it("renders the alert form's picker: symbols first, select id rule-watch, symbols box rule-symbols", () => {
    const html = renderToStaticMarkup(
      createElement(DataSelectionFields, {
        idPrefix: "rule",
        sourceId: "rule-watch",
        label: "Watch",
        universes,
        value: { source: "symbols", universe: "demo-tech", symbols: "aapl" },
        onChange: noop,
        options: ["symbols", "universe"],
        optionText: { symbols: "symbols", universe: "a universe" },
      }),
    );
    expect(html).toContain('data-testid="rule-watch"');
    expect(html).toContain('data-testid="rule-symbols"');
    expect(html.indexOf(">symbols<")).toBeLessThan(html.indexOf(">a universe<"));
  });

  it("turns the selection into a universe name or a parsed symbol list", () => {
    const sel: DataSelection = { source: "symbols", universe: "demo-tech", symbols: "aapl, msft  aapl" };
    expect(selectedData(sel)).toEqual({ symbols: ["AAPL", "MSFT"] });
    expect(selectedData({ ...sel, source: "universe" })).toEqual({ universe: "demo-tech" });
  });
});
