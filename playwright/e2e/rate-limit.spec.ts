/**
 * The per-key limit holds exactly across two app processes sharing one Postgres database: with
 * LAB_API_KEY_RPM=100, 300 concurrent requests split over both processes give exactly 100 × 200
 * and 200 × 429 (each with Retry-After). Needs Postgres at LAB_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and reuses the production build the web server
 * was started from (LAB_NEXT_DIST_DIR); no browser.
 */
import { expect, test } from "@playwright/test";
import { hammer, startCluster, type Cluster } from "../../tests/load/two-apps";

const RPM = 100;
const PER_PORT = 150;

test.describe("rate limit across two app processes", () => {
  test.describe.configure({ timeout: 240_000 });
  test.skip(process.env.LAB_TEST_SKIP_POSTGRES === "1", "needs a Postgres server");
  let cluster: Cluster | undefined;

  test.beforeAll(async () => {
    cluster = await startCluster({ distDir: process.env.LAB_NEXT_DIST_DIR || ".next", rpm: RPM });
  });
  test.afterAll(async () => {
    await cluster?.stop();
  });

  test("exactly the limit gets through, whichever process answers", async ({}, testInfo) => {
    if (!cluster) throw new Error("cluster did not start");
    const run = await hammer(cluster, PER_PORT, 10);
    const by = (status: number, port?: number) =>
      run.answers.filter((a) => a.status === status && (port === undefined || a.port === port));
    const figures = {
      requests: run.answers.length,
      ok: by(200).length,
      limited: by(429).length,
      okByPort: cluster.ports.map((p) => by(200, p).length),
      limitedByPort: cluster.ports.map((p) => by(429, p).length),
      durationMs: Math.round(run.durationMs),
      requestsPerSecond: Math.round(run.requestsPerSecond),
      latencyP50Ms: run.latencyP50Ms,
      latencyP99Ms: run.latencyP99Ms,
    };
    await testInfo.attach("figures", { body: JSON.stringify(figures, null, 2), contentType: "application/json" });
    console.log("[rate-limit load]", JSON.stringify(figures));

    expect(run.answers).toHaveLength(2 * PER_PORT);
    expect(by(200).length, "exactly the limit, across both processes together").toBe(RPM);
    expect(by(429).length).toBe(2 * PER_PORT - RPM);
    expect(
      figures.okByPort.every((n) => n > 0),
      "both processes served part of the allowance",
    ).toBe(true);
    expect(
      figures.limitedByPort.every((n) => n > 0),
      "both processes refused once it was spent",
    ).toBe(true);
    for (const a of by(429)) {
      expect(Number(a.retryAfter), "every 429 says when to retry").toBeGreaterThan(0);
      expect(a.remaining).toBe("0");
    }
    const remaining = by(200)
      .map((a) => Number(a.remaining))
      .sort((x, y) => x - y);
    expect(remaining, "each allowed request took a distinct point: 0 … 99 remaining").toEqual(
      Array.from({ length: RPM }, (_, i) => i),
    );
  });

  test("a spoofed X-Forwarded-For does not reset the spent limit", async () => {
    if (!cluster) throw new Error("cluster did not start");
    const run = await hammer(cluster, 10, 2, { "x-forwarded-for": "203.0.113.77" });
    expect(run.answers.map((a) => a.status)).toEqual(Array(20).fill(429));
  });
});
