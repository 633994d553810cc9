/**
 * Next calls `register()` once when the server starts. In the app's own server process
 * (server/http/start.mjs) it boots the application (server/boot.ts) before the first request;
 * `next build` and other hosts of the route modules start nothing.
 */
const RETRY_MS = 5000;

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if ((globalThis as Record<symbol, unknown>)[Symbol.for("strategy-lab.app-process")] !== true) return;
  const { bootApp } = await import("@/server/boot");
  const attempt = async (): Promise<void> => {
    try {
      await bootApp();
    } catch (err) {
      // Keep serving (/api/health reports the database as unreachable) and try again shortly.
      console.error(
        `[boot] start-up failed, retrying in ${RETRY_MS / 1000} s:`,
        err instanceof Error ? err.message : err,
      );
      setTimeout(() => void attempt(), RETRY_MS).unref();
    }
  };
  await attempt();
}
