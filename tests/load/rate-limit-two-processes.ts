/**
 * Standalone run of the two-process rate-limit load test, printing the measured figures as JSON:
 *   LAB_NEXT_DIST_DIR=.next node --import tsx tests/load/rate-limit-two-processes.ts
 * The assertions live in playwright/e2e/rate-limit.spec.ts.
 */
import { hammer, startCluster } from "./two-apps";

const RPM = 100;
const cluster = await startCluster({ distDir: process.env.LAB_NEXT_DIST_DIR || ".next", rpm: RPM });
try {
  const run = await hammer(cluster, 150, 10);
  const count = (s: number, port?: number) =>
    run.answers.filter((a) => a.status === s && (port === undefined || a.port === port)).length;
  const spoofed = await hammer(cluster, 20, 4, { "x-forwarded-for": "203.0.113.99" });
  console.log(
    JSON.stringify(
      {
        limit: RPM,
        requests: run.answers.length,
        ok: count(200),
        limited: count(429),
        other: run.answers.filter((a) => a.status !== 200 && a.status !== 429).length,
        okByPort: cluster.ports.map((p) => count(200, p)),
        limitedWithRetryAfter: run.answers.filter((a) => a.status === 429 && Number(a.retryAfter) > 0).length,
        spoofedXffOk: spoofed.answers.filter((a) => a.status === 200).length,
        durationMs: Math.round(run.durationMs),
        requestsPerSecond: Math.round(run.requestsPerSecond),
        latencyP50Ms: run.latencyP50Ms,
        latencyP99Ms: run.latencyP99Ms,
      },
      null,
      2,
    ),
  );
} finally {
  await cluster.stop();
}
