/**
 * Keyed input data kept in the sandbox's child processes between calls (a study's bars are sent
 * once, not per trial): a repeated key travels without its data and gives the same signals; a
 * child that no longer holds a key (restarted, or the host's mirror wrong) says so, nothing runs,
 * and the call is sent again with the data; unkeyed inputs are unaffected.
 */
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { SandboxPool } from "@/server/sandbox";
import type { JobMessage } from "@/server/sandbox/protocol";
import { runWith } from "@/server/sandbox/run";
import type { SandboxWorker } from "@/server/sandbox/worker-process";
import { googInput, syntheticInput } from "./helpers";

const pool = new SandboxPool({ size: 1, timeoutMs: 10_000 });
afterAll(() => pool.shutdown());

/** The pool's one child, with every job it is sent recorded (bytes of data per symbol). */
function watchWorker(): { worker: SandboxWorker; sent: number[][] } {
  const worker = [...(pool as unknown as { workers: Set<SandboxWorker> }).workers][0];
  const sent: number[][] = [];
  const run = worker.run.bind(worker);
  worker.run = (job: Omit<JobMessage, "type" | "id">, wallMs: number) => {
    sent.push(job.symbols.map((s) => s.data.byteLength));
    return run(job, wallMs);
  };
  return { worker, sent };
}

const src = EXAMPLES["sma-cross"].source;
const inputs = () => [googInput(), syntheticInput("SYN", 400)];
const flat = (r: Awaited<ReturnType<typeof runWith>>) =>
  r.signals.map((s) => [Array.from(s.entries), Array.from(s.exits), Array.from(s.score ?? [])]);

describe("sandbox data kept between calls", () => {
  it("a repeated key is sent without its data and gives the same signals; other params still differ", async () => {
    const plain = await runWith(pool, src, inputs(), { fast: 5, slow: 40 });
    const { sent } = watchWorker();
    const keys = ["t1:goog", "t1:syn"];
    const first = await runWith(pool, src, inputs(), { fast: 5, slow: 40 }, {}, undefined, keys);
    const second = await runWith(pool, src, inputs(), { fast: 5, slow: 40 }, {}, undefined, keys);
    const other = await runWith(pool, src, inputs(), { fast: 12, slow: 60 }, {}, undefined, keys);
    expect(sent[0].every((b) => b > 0)).toBe(true);
    expect(sent[1]).toEqual([0, 0]);
    expect(sent[2]).toEqual([0, 0]);
    expect(flat(first)).toEqual(flat(plain));
    expect(flat(second)).toEqual(flat(plain));
    expect(flat(other)).toEqual(flat(await runWith(pool, src, inputs(), { fast: 12, slow: 60 })));
    expect(flat(other)).not.toEqual(flat(plain));
  });

  it("a child that does not hold a key runs nothing, and the call is sent again with the data", async () => {
    const want = flat(await runWith(pool, src, inputs(), { fast: 8, slow: 30 }));
    const { worker, sent } = watchWorker();
    // the host believes the child holds data it was never sent
    worker.held.use("t2:goog", 1);
    worker.held.use("t2:syn", 1);
    const got = await runWith(pool, src, inputs(), { fast: 8, slow: 30 }, {}, undefined, ["t2:goog", "t2:syn"]);
    expect(sent.length).toBe(2);
    expect(sent[0]).toEqual([0, 0]);
    expect(sent[1].every((b) => b > 0)).toBe(true);
    expect(flat(got)).toEqual(want);
  });

  it("after the child is killed, a new child is sent the data again", async () => {
    const keys = ["t3:goog", "t3:syn"];
    const want = flat(await runWith(pool, src, inputs(), { fast: 3, slow: 20 }, {}, undefined, keys));
    const pid = pool.stats().pids[0];
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 100 && pool.stats().pids.includes(pid); i++) await new Promise((r) => setTimeout(r, 20));
    // the next call starts a new child (its mirror is empty: the data goes with the job)
    const got = await runWith(pool, src, inputs(), { fast: 3, slow: 20 }, {}, undefined, keys);
    expect(pool.stats().pids[0]).not.toBe(pid);
    expect(flat(got)).toEqual(want);
    const { sent } = watchWorker();
    await runWith(pool, src, inputs(), { fast: 3, slow: 20 }, {}, undefined, keys);
    expect(sent[0]).toEqual([0, 0]);
  });

  it("keys on some inputs only: the unkeyed ones always carry their data", async () => {
    const { sent } = watchWorker();
    await runWith(pool, src, inputs(), { fast: 5, slow: 40 }, {}, undefined, ["t4:goog", undefined]);
    await runWith(pool, src, inputs(), { fast: 5, slow: 40 }, {}, undefined, ["t4:goog", undefined]);
    expect(sent[1][0]).toBe(0);
    expect(sent[1][1]).toBeGreaterThan(0);
  });
});
