/**
 * Provider rate limits shared across processes (server mode): token buckets in Postgres
 * (server/data/providers/shared-rate.ts). Checked with two independent connections taking from
 * one bucket, and with two real processes calling one provider; in both the combined calls stay
 * within the bucket's law `calls in [t0, t] <= capacity + rate * (t - t0)`. The same check on
 * two per-process buckets (what each process had before) fails, so the check bites.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createPg, type DatabaseHandle } from "@/server/db/client";
import { postgresRateGate, TokenBucket } from "@/server/data/providers";
import { systemClock } from "@/server/data/providers/resilience";
import { registerDependency } from "@/server/ops/resilience";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

/** The largest excess of calls over `capacity + rate * elapsed` in any window starting at a call. */
function worstExcess(times: number[], capacity: number, perSecond: number, slackMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < t.length; i++)
    for (let j = i; j < t.length; j++) {
      const allowed = capacity + (perSecond * Math.max(0, t[j] - t[i] + slackMs)) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  return worst;
}

const CAPACITY = 3;
const RATE = 20; // tokens per second
const TAKES = 24; // per taker; four takers

describe("waiting for a shared token is not an attempt timing out", () => {
  it("the attempt's timeout starts after beforeAttempt; a slow answer still times out", async () => {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const dep = registerDependency("test:before-attempt", {
      timeoutMs: 100,
      attempts: 1,
      beforeAttempt: () => sleep(250),
      isFailure: () => false,
    });
    const t0 = Date.now();
    await expect(dep.call(async () => "answered")).resolves.toBe("answered");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    await expect(dep.call(() => sleep(300).then(() => "late"))).rejects.toThrow(/timed out|cancel/i);
  });
});

describe.skipIf(!DRIVERS.includes("postgres"))("shared provider rate limits (postgres)", () => {
  let h: TestDatabase;
  let second: DatabaseHandle;

  beforeAll(async () => {
    h = await createTestDatabase("postgres");
    second = await createPg(h.url as string, { migrate: false, max: 2 });
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it("two independent connections taking from one bucket stay within its rate together", async () => {
    // grant times are the database's clock (when the UPDATE took the token), so a reply that
    // reached this process late on a busy machine does not look like a burst
    const times: number[] = [];
    const onGrant = (_key: string, atMs: number) => times.push(atMs);
    const gates = [
      postgresRateGate(async () => h.db, { onGrant }),
      postgresRateGate(async () => second.db, { onGrant }),
    ];
    const t0 = Date.now();
    const taker = async (gate: (typeof gates)[number]) => {
      for (let i = 0; i < TAKES; i++) await gate.take("test:shared", CAPACITY, RATE);
    };
    await Promise.all([taker(gates[0]), taker(gates[0]), taker(gates[1]), taker(gates[1])]);
    const total = 4 * TAKES;
    expect(times).toHaveLength(total);
    // within the law (a hundredth of a token for float rounding)…
    expect(worstExcess(times, CAPACITY, RATE, 0)).toBeLessThanOrEqual(0.01);
    // …and not much slower than it: (96 - 3) / 20 = 4.65 s
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(((total - CAPACITY - 1) / RATE) * 1000);
    expect(elapsed).toBeLessThan(((total - CAPACITY) / RATE) * 1000 + 15_000);
    const [row] = rowsOf(await h.db.execute(sql`select tokens from provider_rate_bucket where key = 'test:shared'`));
    expect(Number(row.tokens)).toBeLessThan(1);
  });

  it("the same check fails for one in-memory bucket per process (what each process had alone)", async () => {
    const buckets = [new TokenBucket(CAPACITY, RATE, systemClock), new TokenBucket(CAPACITY, RATE, systemClock)];
    const times: number[] = [];
    await Promise.all(
      buckets.map(async (b) => {
        for (let i = 0; i < TAKES; i++) {
          await b.take();
          times.push(Date.now());
        }
      }),
    );
    expect(worstExcess(times, CAPACITY, RATE, 0)).toBeGreaterThan(5);
  });

  it("two real processes calling one provider together keep to its limit", async () => {
    const calls = 15;
    const start = () =>
      spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/server/data/rate-child.ts"], {
        env: { ...process.env, DATABASE_URL: h.url, LAB_TEST_RATE_CALLS: String(calls) },
        stdio: ["ignore", "pipe", "pipe"],
      });
    const children = [start(), start()];
    const outputs = await Promise.all(
      children.map(
        (proc) =>
          new Promise<string>((resolve, reject) => {
            let out = "";
            let err = "";
            proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
            proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
            proc.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
          }),
      ),
    );
    const callTimes = outputs.flatMap((o) => [...o.matchAll(/^call (\d+)$/gm)].map((m) => Number(m[1])));
    const grants = outputs.flatMap((o) =>
      [...o.matchAll(/^grant market:yahoo:spacing ([\d.]+)$/gm)].map((m) => Number(m[1])),
    );
    expect(outputs.every((o) => o.includes("done"))).toBe(true);
    expect(callTimes).toHaveLength(2 * calls);
    // one spacing token per call, and the provider's spacing in rate-child.ts (2 calls of burst,
    // 10 a second) holds across both processes, on the database's clock
    expect(grants).toHaveLength(2 * calls);
    expect(worstExcess(grants, 2, 10, 0)).toBeLessThanOrEqual(0.01);
    const spread = Math.max(...grants) - Math.min(...grants);
    expect(spread).toBeGreaterThanOrEqual(((2 * calls - 2 - 1) / 10) * 1000);
    const keys = rowsOf(await h.db.execute(sql`select key from provider_rate_bucket order by key`)).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(["market:yahoo:rpm", "market:yahoo:spacing"]));
  }, 60_000);

  it("refuses a bucket with no capacity or no refill", async () => {
    const gate = postgresRateGate(async () => h.db);
    await expect(gate.take("test:bad", 0, 1)).rejects.toThrow(/capacity 0 and refill 1\/s must be positive/);
    await expect(gate.take("test:bad", 1, 0)).rejects.toThrow(RangeError);
  });
});
