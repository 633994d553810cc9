import type { NextConfig } from "next";

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
  ],
  poweredByHeader: false,
  // Several builds can live side by side (e.g. one per test run); default .next.
  distDir: process.env.LAB_NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole project separately; LAB_SKIP_TYPECHECK=1 skips it in `next build`.
  typescript: { ignoreBuildErrors: process.env.LAB_SKIP_TYPECHECK === "1" },
  typedRoutes: false,
};

export default nextConfig;
