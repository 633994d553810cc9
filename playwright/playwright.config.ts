/**
 * Browser tests against a production build served by our own server (server/http/start.mjs),
 * on a fresh embedded database per run. Uses the system Chromium (Debian package) through
 * playwright-core: no browser download.
 *
 *   LAB_NEXT_DIST_DIR=.next-ui npx playwright test -c playwright/playwright.config.ts
 *
 * When the build dir has no build yet, the server builds first (allow a few minutes).
 */
import { defineConfig } from "@playwright/test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A fresh data folder per run (the runner evaluates this once for the web server).
const dataDir = process.env.E2E_DATA_DIR ?? `.test-data/e2e-${Date.now()}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "../test-results",
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { outputFolder: "../playwright-report", open: "never" }]],
  use: {
    baseURL,
    browserName: "chromium",
    screenshot: "on",
    trace: "retain-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node server/http/start.mjs",
    cwd: root,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // The first run builds the app (several minutes on a loaded 2-core machine) before it serves.
    timeout: 900_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      LAB_DATA_DIR: dataDir,
      LAB_NEXT_DIST_DIR: process.env.LAB_NEXT_DIST_DIR || ".next",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // The journeys here do not need live bars, so this shared server runs with the demo feed
      // off (set LAB_DEMO_FEED_SECONDS to change it). The newcomer's default — feed on — runs in
      // its own app processes: e2e/feed-on.spec.ts (backtests across ticks) and e2e/workbench.spec.ts
      // (the whole Lab journey, through fixtures/feed-on-server.ts, reusing this server's build).
      LAB_DEMO_FEED_SECONDS: process.env.LAB_DEMO_FEED_SECONDS ?? "0",
      // Every journey signs up and in from the same loopback address; the per-IP sign-in and
      // sign-up limits (10 per 15 min, 20 per hour) are tested in tests/server, not here.
      LAB_SIGNIN_LIMIT: "1000",
      LAB_SIGNUP_PER_HOUR: "1000",
    },
  },
});
