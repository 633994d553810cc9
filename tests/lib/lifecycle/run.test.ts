/** The run state table and the kind-tagged run spec: what a run may become, what a run may carry. */
import { describe, expect, it } from "vitest";
import {
  ACTIVE_RUN_STATUSES,
  IllegalRunTransitionError,
  isTerminalRunStatus,
  runTransition,
  statusesAllowing,
  TERMINAL_RUN_STATUSES,
} from "@/lib/lifecycle/run";
import { DATA_RUN_KINDS, RUN_KINDS, RUNNABLE_RUN_KINDS, tagRunResult } from "@/lib/runs/kinds";
import { runInputOf, runSpecSchema } from "@/lib/schemas/runs";

const strategyId = "6f1c1f8e-6a53-4d0b-9d43-3c9a8e0d2b11";

describe("run state table", () => {
  it("runs a job from queued to a terminal status and never out of one", () => {
    expect(runTransition("queued", "claim")).toBe("running");
    expect(runTransition("running", "succeed")).toBe("succeeded");
    expect(runTransition("running", "requeue")).toBe("queued");
    expect(runTransition("queued", "cancel")).toBe("cancelled");
    for (const s of ["succeeded", "failed", "cancelled"] as const) {
      expect(() => runTransition(s, "claim")).toThrow(IllegalRunTransitionError);
      expect(() => runTransition(s, "cancel")).toThrow("cannot cancel");
    }
    expect(() => runTransition("queued", "succeed")).toThrow(IllegalRunTransitionError);
  });

  it("derives the terminal and active lists and the statuses a conditional update may match", () => {
    expect([...TERMINAL_RUN_STATUSES].sort()).toEqual(["cancelled", "failed", "succeeded"]);
    expect([...ACTIVE_RUN_STATUSES]).toEqual(["queued", "running"]);
    expect(isTerminalRunStatus("failed")).toBe(true);
    expect(isTerminalRunStatus("running")).toBe(false);
    expect(statusesAllowing("cancel")).toEqual(["queued", "running"]);
    expect(statusesAllowing("claim")).toEqual(["queued", "running"]);
    expect(statusesAllowing("succeed")).toEqual(["running"]);
  });
});

describe("run spec", () => {
  const base = { strategyId, universe: "demo-tech" };

  it("accepts each kind's own settings and fills defaults", () => {
    expect(
      runSpecSchema.parse({
        kind: "backtest",
        ...base,
        config: { costs: { commissionRate: 0.001 }, portfolio: { maxPositions: 5 } },
      }),
    ).toMatchObject({
      kind: "backtest",
      params: {},
      priority: "interactive",
      config: { costs: { commissionRate: 0.001 }, portfolio: { maxPositions: 5 } },
    });
    expect(runSpecSchema.parse({ kind: "screen", ...base, limit: 20 })).toMatchObject({ kind: "screen", limit: 20 });
    expect(runSpecSchema.parse({ kind: "alert", ...base, newBars: 3 })).toMatchObject({ kind: "alert", newBars: 3 });
  });

  it("refuses another kind's settings and unknown engine settings, naming the field", () => {
    const limitOnBacktest = runSpecSchema.safeParse({ kind: "backtest", ...base, limit: 20 });
    expect(limitOnBacktest.success).toBe(false);
    expect(JSON.stringify(limitOnBacktest.error?.issues)).toContain("limit");
    const badConfig = runSpecSchema.safeParse({ kind: "backtest", ...base, config: { costs: { comission: 0.1 } } });
    expect(badConfig.success).toBe(false);
    expect(badConfig.error?.issues[0].path).toEqual(["config", "costs"]);
    expect(JSON.stringify(badConfig.error?.issues)).toContain("comission");
    const negative = runSpecSchema.safeParse({ kind: "backtest", ...base, config: { initialCash: -5 } });
    expect(negative.error?.issues[0].path).toEqual(["config", "initialCash"]);
    expect(runSpecSchema.safeParse({ kind: "optimize", ...base }).success).toBe(false);
  });

  it("keeps the universe-or-symbols and date-order rules for every kind", () => {
    for (const kind of RUNNABLE_RUN_KINDS.filter((k) => !(DATA_RUN_KINDS as readonly string[]).includes(k))) {
      // an optimize run also needs its study, an improve run its settings, an evolve run its settings
      const extra =
        kind === "optimize"
          ? { study: { trials: 5 } }
          : kind === "improve"
            ? { improve: {} }
            : kind === "evolve"
              ? { evolve: {} }
              : {};
      expect(runSpecSchema.safeParse({ kind, strategyId, ...extra }).error?.issues[0].message).toBe(
        "Give either a universe or a list of symbols.",
      );
      expect(
        runSpecSchema.safeParse({ kind, ...base, ...extra, from: "2021-01-01", to: "2020-01-01" }).error?.issues[0]
          .path,
      ).toEqual(["from"]);
    }
  });

  it("a hydrate run has no strategy, and its own symbols-or-all and date-order rules", () => {
    const hydrate = { provider: "polygon", symbols: ["AAA"] };
    expect(runSpecSchema.safeParse({ kind: "hydrate", hydrate }).success).toBe(true);
    expect(runSpecSchema.safeParse({ kind: "hydrate", strategyId, hydrate }).success).toBe(false);
    expect(
      runSpecSchema.safeParse({ kind: "hydrate", hydrate: { provider: "polygon" } }).error?.issues[0].path,
    ).toEqual(["hydrate", "symbols"]);
    expect(
      runSpecSchema.safeParse({ kind: "hydrate", hydrate: { ...hydrate, all: true } }).error?.issues[0].path,
    ).toEqual(["hydrate", "symbols"]);
    expect(
      runSpecSchema.safeParse({ kind: "hydrate", hydrate: { ...hydrate, from: "2021-01-01", to: "2020-01-01" } }).error
        ?.issues[0].path,
    ).toEqual(["hydrate", "from"]);
  });
});

describe("run kinds", () => {
  it("lists the runnable kinds among all kinds and tags a result with its kind", () => {
    for (const k of RUNNABLE_RUN_KINDS) expect(RUN_KINDS).toContain(k);
    expect(tagRunResult("retired-kind" as never, { alerts: [] } as never)).toBeNull();
    expect(tagRunResult("screen", null)).toBeNull();
    const tagged = tagRunResult("alert", { alerts: [] } as never);
    expect(tagged?.kind).toBe("alert");
  });

  it("reads a run's input as its kind's input only for that kind", () => {
    const input = {
      kind: "screen" as const,
      strategyId,
      universe: "demo-tech",
      params: {},
      priority: "batch" as const,
      limit: 5,
      version: 2,
    };
    expect(runInputOf({ kind: "screen", input }, "screen").limit).toBe(5);
    expect(() => runInputOf({ kind: "screen", input }, "backtest")).toThrow("Expected a backtest run");
  });
});
