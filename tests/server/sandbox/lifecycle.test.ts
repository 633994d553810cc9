import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import {
  SandboxError,
  SandboxPool,
  getSandboxPool,
  runStrategySignals,
  sandboxStats,
  shutdownSandbox,
} from "@/server/sandbox";
import { runWith } from "@/server/sandbox/run";
import { TINY, strategyWith, syntheticInput, tinyEntries } from "./helpers";

const input = syntheticInput("SYN", 1000);
const expected = tinyEntries(input.bars.close);

function childRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

describe("sandbox lifecycle", () => {
  const pool = new SandboxPool({ size: 2, timeoutMs: 2_000, memoryMb: 64 });
  afterAll(() => pool.shutdown());

  it("survives a child crash mid-run and serves the next call from a fresh child", async () => {
    await runWith(pool, TINY, [input], {});
    const slow = runWith(pool, strategyWith("for (;;) {}"), [input], {}, { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(pool.stats().busy).toBe(1);
    for (const pid of pool.stats().pids) if (pid !== undefined) process.kill(pid, "SIGKILL");
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).code).toBe("CRASHED");
    const { signals } = await runWith(pool, TINY, [input], {});
    expect(Array.from(signals[0].entries)).toEqual(expected);
    expect(pool.stats().restarts).toBeGreaterThanOrEqual(1);
  });

  it("keeps serving other calls while one child is stuck", async () => {
    const own = new SandboxPool({ size: 2, timeoutMs: 60_000 });
    let stuckSettled = false;
    const stuck = runWith(own, strategyWith("for (;;) {}"), [input], {})
      .catch((e: unknown) => e)
      .finally(() => {
        stuckSettled = true;
      });
    const { signals } = await runWith(own, TINY, [input], {});
    expect(Array.from(signals[0].entries)).toEqual(expected);
    expect(stuckSettled, "the normal call did not wait for the stuck one").toBe(false);
    own.shutdown();
    expect(((await stuck) as SandboxError).code).toBe("CRASHED");
  });

  it("returns memory to near baseline across many runs, memory bombs included", async () => {
    // What the host process keeps: its heap and buffers after a full collection, taken after one
    // full round (a bomb and 100 runs) so warm-up (JIT code, pools) is not counted; three more rounds
    // must not grow it. RSS alone is not a leak signal here (the allocator keeps freed pages, more
    // so on a busy machine), so it only has to stay under a loose bound.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const retained = () => {
      gc();
      const m = process.memoryUsage();
      return (m.heapUsed + m.external) / 2 ** 20;
    };
    let baseHeap = 0;
    let baseRss = 0;
    for (let round = 0; round < 4; round++) {
      if (round === 1) {
        baseHeap = retained();
        baseRss = process.memoryUsage().rss / 2 ** 20;
      }
      await runWith(
        pool,
        strategyWith("const a: number[][] = []; for (;;) a.push(new Array(1e5).fill(1));"),
        [input],
        {},
      ).catch(() => undefined);
      for (let i = 0; i < 100; i++) await runWith(pool, TINY, [input], {});
    }
    const grownHeap = retained() - baseHeap;
    expect(grownHeap, `host heap + buffers grew ${grownHeap.toFixed(1)} MB`).toBeLessThan(8);
    const grownRss = process.memoryUsage().rss / 2 ** 20 - baseRss;
    expect(grownRss, `host RSS grew ${grownRss.toFixed(1)} MB`).toBeLessThan(100);
    for (const pid of pool.stats().pids) {
      const rss = childRssMb(pid);
      expect(rss, `child ${pid} RSS ${rss.toFixed(0)} MB`).toBeLessThan(300);
    }
  });

  it("fails calls after shutdown", async () => {
    const p = new SandboxPool({ size: 1 });
    p.shutdown();
    await expect(runWith(p, TINY, [input], {})).rejects.toMatchObject({ code: "CRASHED" });
  });
});

describe("process-wide pool", () => {
  afterAll(() => shutdownSandbox());

  it("runs through getSandboxPool and reports stats", async () => {
    const pool = getSandboxPool({ size: 1 });
    expect(getSandboxPool(), "one pool per process").toBe(pool);
    const [out] = await runStrategySignals(TINY, [input], { lag: 1 });
    expect(Array.from(out.entries)).toEqual(expected);
    expect(sandboxStats()).toMatchObject({ runs: 1, failures: 0, workers: 1 });
    shutdownSandbox();
    expect(sandboxStats().workers).toBe(0);
  });
});
