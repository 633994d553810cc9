/**
 * REST API v1 per-request cost in one process on embedded PGlite: Bearer-key authentication with
 * the database-stored per-key limit (`api_auth_ms`), and a whole GET /api/v1/strategies through
 * its route handler with 20 strategies (`api_list_strategies_ms`). Medians of 200 calls each, after
 * 20 warm-up calls. Targets: auth under 5 ms, the whole request under 20 ms.
 */
import type { BenchCase } from "../case";
import { GET as listStrategies } from "@/app/api/v1/strategies/route";
import { EXAMPLES } from "@/lib/sdk/examples";
import { resetEnvCache } from "@/lib/env";
import { authenticateApiKey, createApiKey } from "@/server/auth/api-keys";
import { createPglite } from "@/server/db/client";
import { setDatabaseForTests } from "@/server/db";
import { signUp } from "@/server/services/accounts";
import { createStrategy } from "@/server/services/strategies";
import { createWorkspace } from "@/server/services/workspaces";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

const apiRest: BenchCase = {
  name: "api-rest",
  description: "REST v1: key auth + stored limit, and list strategies through the route handler (PGlite)",
  async run() {
    process.env.LAB_API_KEY_RPM = "1000000";
    resetEnvCache();
    const h = await createPglite(null);
    setDatabaseForTests(h);
    try {
      const user = await signUp(h.db, { email: "bench@example.test", password: "bench password 42" }, null, {
        type: "operator",
        id: null,
        label: "bench",
      });
      const ws = await createWorkspace(
        h.db,
        { type: "user", id: user.id, label: user.email },
        { name: "Bench", slug: "bench" },
      );
      const caller = {
        actor: { type: "user" as const, id: user.id, label: user.email },
        workspaceId: ws.id,
        role: "owner" as const,
      };
      for (let i = 0; i < 20; i++)
        await createStrategy(h.db, caller, { name: `s${i}`, code: EXAMPLES["sma-cross"].source });
      const { key } = await createApiKey(h.db, caller, { name: "bench", scopes: ["read"] });
      const auth = await time(200, () => authenticateApiKey(h.db, `Bearer ${key}`, "127.0.0.1"));
      const list = await time(200, async () => {
        const res = await listStrategies(
          new Request("http://localhost/api/v1/strategies", { headers: { authorization: `Bearer ${key}` } }),
          { params: Promise.resolve({}) },
        );
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        await res.json();
      });
      return { api_auth_ms: auth, api_list_strategies_ms: list };
    } finally {
      await h.close();
    }
  },
};

export default apiRest;
