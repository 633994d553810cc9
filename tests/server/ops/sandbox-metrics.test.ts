/** Sandbox calls are measured: calls by outcome, errors by type, duration and isolate heap. */
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { SandboxPool } from "@/server/sandbox";
import { runWith } from "@/server/sandbox/run";
import { metrics } from "@/server/ops/metrics";
import { googInput } from "../sandbox/helpers";

const pool = new SandboxPool({ size: 1, timeoutMs: 2_000 });
afterAll(() => pool.shutdown());

const value = async (name: "sandboxCalls" | "sandboxErrors", label: string, v: string) =>
  (await metrics()[name].get()).values.find((x) => (x.labels as Record<string, string>)[label] === v)?.value ?? 0;

describe("sandbox metrics", () => {
  it("counts a good call and a timed-out one, with duration and heap", async () => {
    await runWith(pool, EXAMPLES["sma-cross"].source, [googInput()], { fast: 10, slow: 30 });
    expect(await value("sandboxCalls", "outcome", "ok")).toBe(1);
    expect((await metrics().sandboxHeap.get()).values[0]?.value, "isolate heap after the call").toBeGreaterThan(
      100_000,
    );
    const looping = EXAMPLES.breakout.source.replace(
      "const n = bars.close.length;",
      "const n = bars.close.length; for (;;) {}",
    );
    expect(looping).not.toBe(EXAMPLES.breakout.source);
    await runWith(pool, looping, [googInput()], {}).catch(() => undefined);
    expect(await value("sandboxCalls", "outcome", "error")).toBe(1);
    expect(await value("sandboxErrors", "type", "timeout")).toBe(1);
    const hist = (await metrics().sandboxDuration.get()).values.find(
      (v) => v.metricName === "lab_sandbox_call_duration_seconds_count" && v.labels.outcome === "error",
    );
    expect(hist?.value).toBe(1);
  }, 30_000);
});
