import "server-only";
/**
 * Graceful shutdown: services register cleanup here (worker stop, database close); the server
 * (server/http/start.mjs) or a CLI calls the hook on SIGTERM. Cleanups run in reverse order.
 */
const HOOK = Symbol.for("strategy-lab.shutdown");
const LIST = Symbol.for("strategy-lab.shutdown-list");
type G = typeof globalThis & { [HOOK]?: () => Promise<void>; [LIST]?: { name: string; fn: () => Promise<void> }[] };

export function onShutdown(name: string, fn: () => Promise<void>): void {
  const g = globalThis as G;
  const list = (g[LIST] ??= []);
  if (list.some((e) => e.name === name)) return;
  list.push({ name, fn });
  g[HOOK] ??= async () => {
    for (const entry of [...(g[LIST] ?? [])].reverse()) {
      try {
        await entry.fn();
      } catch (err) {
        console.error(`[shutdown] ${entry.name} failed`, err);
      }
    }
  };
}

/** Run every registered cleanup once (reverse order of registration). */
export async function runShutdown(): Promise<void> {
  const hook = (globalThis as G)[HOOK];
  if (hook) await hook();
}
