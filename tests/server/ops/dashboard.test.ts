/** The Grafana dashboard in ops/grafana only queries metrics the app really exports. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { metrics } from "@/server/ops/metrics";

describe("docs/operations.md", () => {
  it("lists every exported lab metric", async () => {
    const doc = readFileSync(new URL("../../../docs/operations.md", import.meta.url), "utf8");
    const names = (await metrics().registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith("lab_"));
    expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});

describe("ops/grafana/strategy-lab.json", () => {
  it("refers only to exported metric names and covers the issue's panels", async () => {
    const dash = JSON.parse(
      readFileSync(new URL("../../../ops/grafana/strategy-lab.json", import.meta.url), "utf8"),
    ) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exported = new Set((await metrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set<string>();
    for (const p of dash.panels)
      for (const t of p.targets)
        for (const m of t.expr.matchAll(/\b((?:lab|process|nodejs)_[a-z0-9_]+)/g))
          used.add(m[1].replace(/_(bucket|sum|count)$/, ""));
    const unknown = [...used].filter((n) => !exported.has(n));
    expect(unknown).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(30);
    const titles = dash.panels.map((p) => p.title.toLowerCase()).join(" | ");
    for (const topic of ["state distribution", "fitness", "error", "queue depth", "run latency"])
      expect(titles, topic).toContain(topic);
  });
});
