import "server-only";
/**
 * The embedded default needs the demo universe in the database before the first run. The app
 * process starts writing it in the background when it opens the database (a fresh folder takes a
 * while; later starts find it stored and return at once); runs wait for it through `demoReady()`.
 */
import type { Db } from "@/server/db";
import { ensureDemoUniverse } from "./demo";

const KEY = Symbol.for("strategy-lab.demo-ready");
type G = typeof globalThis & { [KEY]?: Promise<void> };

export function ensureDemoInBackground(db: Db): Promise<void> {
  const g = globalThis as G;
  g[KEY] ??= (async () => {
    const started = performance.now();
    try {
      const r = await ensureDemoUniverse(db, {});
      if (r.created) {
        console.log(`[data] demo universe written: ${r.symbols} synthetic symbols × ${r.bars} bars in ${Math.round(performance.now() - started)} ms`);
      }
    } catch (err) {
      console.error("[data] writing the demo universe failed:", err);
    }
  })();
  return g[KEY];
}

/** Resolves once the demo universe this process is writing (if any) is stored. */
export function demoReady(): Promise<void> {
  return (globalThis as G)[KEY] ?? Promise.resolve();
}
