/**
 * Operations figures: rendering /metrics (the registry with every lab metric populated), and a
 * logical backup and verified restore of an embedded database holding the demo universe
 * (100 symbols × 5 years; QUICK: 20 × 2).
 */
import { ensureDemoUniverse } from "@/server/data/demo";
import { createPglite } from "@/server/db/client";
import { createBackup, restoreBackup } from "@/server/ops/backup";
import { metrics } from "@/server/ops/metrics";
import { observeHttp } from "@/server/ops/metrics-http";
import { QUICK, type BenchCase } from "../case";

const bench: BenchCase = {
  name: "ops",
  description: "/metrics render time; logical backup and verified restore of a demo database",
  async run() {
    const m = metrics();
    for (let i = 0; i < 200; i++) observeHttp("GET", `/api/route-${i % 50}`, i % 7 === 0 ? 500 : 200, i / 1000);
    const t0 = performance.now();
    const text = await m.registry.metrics();
    const renderMs = performance.now() - t0;

    const source = await createPglite(null);
    await ensureDemoUniverse(source.db, QUICK ? { symbols: 20, years: 2 } : { symbols: 100, years: 5 });
    const t1 = performance.now();
    const { file } = await createBackup(source.db, { kind: "logical" });
    const backupMs = performance.now() - t1;
    const target = await createPglite(null);
    const t2 = performance.now();
    await restoreBackup(target.db, file, { yes: false, actorLabel: "bench" });
    const restoreMs = performance.now() - t2;
    await source.close();
    await target.close();
    return {
      metrics_render_ms: renderMs,
      metrics_text_kb: text.length / 1024,
      backup_logical_ms: backupMs,
      restore_logical_verified_ms: restoreMs,
      backup_file_mb: file.length / 1048576,
    };
  },
};

export default bench;
