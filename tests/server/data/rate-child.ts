/**
 * One worker-like process for tests/server/data/shared-rate-limit.test.ts: a Yahoo provider
 * whose transport answers with the recorded fixture and prints `call <ms>` each time it is
 * reached and `grant <bucket> <ms>` for each token taken (database time), limited through the
 * shared Postgres buckets at DATABASE_URL. Makes
 * LAB_TEST_RATE_CALLS fetches (two at a time), prints `done`, exits.
 */
import { readFileSync } from "node:fs";
import { createPg } from "@/server/db/client";
import { createYahooProvider, postgresRateGate } from "@/server/data/providers";

const url = process.env.DATABASE_URL as string;
const calls = Number(process.env.LAB_TEST_RATE_CALLS ?? "10");
const body = readFileSync("tests/fixtures/providers/yahoo-chart-goog-1d.json", "utf8");
const handle = await createPg(url, { migrate: false, max: 2 });
const yahoo = createYahooProvider({
  fetch: async () => {
    process.stdout.write(`call ${Date.now()}\n`);
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  },
  resilience: { cacheTtlMs: 0, ratePerMinute: 6000, bucketCapacity: 2, refillPerSecond: 10 },
  rateGate: postgresRateGate(async () => handle.db, {
    onGrant: (key, atMs) => process.stdout.write(`grant ${key} ${atMs}\n`),
  }),
});
process.stdout.write("ready\n");
let next = 0;
const lane = async () => {
  while (next < calls) {
    next++;
    await yahoo.fetchBars("GOOG", { fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2020, 1, 1), interval: "1d" });
  }
};
await Promise.all([lane(), lane()]);
process.stdout.write("done\n");
await handle.close();
process.exit(0);
