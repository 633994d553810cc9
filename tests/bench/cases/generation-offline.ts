/**
 * Offline generation as the Lab sees it: submit → first code characters (market context of a
 * 30-symbol demo sample included), and submit → validated code (static checks, sandbox load and a
 * dry run on 3 symbols, then the faithfulness check on 3 symbols). The generator streams with its default pause per line, as in the app.
 * One cold run (sandbox processes starting), then the median of 3 warm runs.
 */
import { createOfflineModel } from "@/server/ai/offline-generator";
import { runGenerationPipeline } from "@/server/ai/pipeline";
import { OFFLINE_MODEL } from "@/server/ai/providers";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";
import type { BenchCase } from "../case";
import { median } from "../random-walk";

const REQUESTS = [
  "Find stocks that gap up by more than 3% with high volume",
  "RSI below 30 and volume spike above 2x average",
  "Donchian channel breakout on the 55-day high with a 2 ATR trailing stop",
];

async function once(request: string): Promise<{ first: number; full: number }> {
  const t0 = performance.now();
  const universe = demoSample("demo-500", 30);
  let first = NaN;
  for await (const e of runGenerationPipeline({
    request,
    model: createOfflineModel(),
    modelInfo: OFFLINE_MODEL,
    universe,
  })) {
    if (e.type === "code-delta" && Number.isNaN(first)) first = performance.now() - t0;
    if (e.type === "error") throw new Error(e.message);
    if (e.type === "done") return { first, full: performance.now() - t0 };
  }
  throw new Error("generation ended without a result");
}

const bench: BenchCase = {
  name: "generation-offline",
  description:
    "Offline generator: submit → first code characters, and full generation + validation + faithfulness check (targets < 300 ms, < 1 s)",
  async run() {
    try {
      const cold = await once(REQUESTS[0]);
      const firsts: number[] = [];
      const fulls: number[] = [];
      for (const r of REQUESTS) {
        const m = await once(r);
        firsts.push(m.first);
        fulls.push(m.full);
      }
      return {
        generation_first_chunk_ms: median(firsts),
        generation_full_ms: median(fulls),
        generation_cold_full_ms: cold.full,
      };
    } finally {
      shutdownSandbox();
    }
  },
};

export default bench;
