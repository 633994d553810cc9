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
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
