import { existsSync, writeFileSync } from "node:fs";
import type { NextConfig } from "next";

const distDir = process.env.LAB_NEXT_DIST_DIR || ".next";

/**
 * Next adds `<distDir>/types/**` to the tsconfig it builds with. For a build dir other than
 * `.next` that would rewrite the tracked tsconfig.json, so such builds use a generated,
 * git-ignored `tsconfig.build-<dir>.json` beside it that extends it; Next may edit that one.
 */
function tsconfigFor(dir: string): string | undefined {
  if (dir === ".next") return undefined;
  const own = `tsconfig.build-${dir.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "")}.json`;
  if (!existsSync(own))
    writeFileSync(
      own,
      `${JSON.stringify({ extends: "./tsconfig.json", include: ["next-env.d.ts", "**/*.ts", "**/*.tsx"] }, null, 2)}\n`,
    );
  return own;
}

const nextConfig: NextConfig = {
  // Packages with native parts, WASM or dynamic imports stay outside the server bundle (see STACK.md).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg-boss",
    "drizzle-orm",
    "rate-limiter-flexible",
    "isolated-vm",
    "esbuild",
    "sucrase",
    // One module instance per process for the metrics registry, the logger and the breakers.
    "prom-client",
    "pino",
    "pino-pretty",
    "cockatiel",
    // Large (≈60 MB), loaded with a dynamic import only when LAB_CCXT_EXCHANGE is set.
    "ccxt",
  ],
  poweredByHeader: false,
  // Several builds can live side by side (e.g. one per test run); default .next.
  distDir,
  // `npm test` type-checks the whole project separately; LAB_SKIP_TYPECHECK=1 skips it in `next build`.
  typescript: { ignoreBuildErrors: process.env.LAB_SKIP_TYPECHECK === "1", tsconfigPath: tsconfigFor(distDir) },
  typedRoutes: false,
};

export default nextConfig;
