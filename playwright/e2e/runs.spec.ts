/**
 * Background runs journey: sign up → workspace → a strategy from the SMA-cross example (created
 * through tRPC from the page) → start a backtest on the Runs page → progress shows → the run
 * succeeds and its metrics render → a second run is cancelled. Then a saved screen is run and
 * exported, and an alert rule and a webhook channel are created. Screenshots go to test-results/.
 */
import { expect, test, type Page } from "@playwright/test";
import { EXAMPLES } from "../../lib/sdk/examples";
import { callMutation, shot, submitSignUp, uniqueEmail } from "../fixtures/journey";

// A fresh embedded database is busy writing the demo universe for a while after the server starts,
// and queries wait meanwhile; start once a page that reads the database answers promptly three times in a row.
test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  let fast = 0;
  while (fast < 3) {
    const t0 = Date.now();
    const res = await request.get("/sign-up", { timeout: 180_000 });
    fast = res.ok() && Date.now() - t0 < 1000 ? fast + 1 : 0;
    if (fast < 3) await new Promise((r) => setTimeout(r, 500));
  }
});

/** The first demo-universe load of a fresh data folder can take a while on a busy machine. */
const FIRST_RUN_MS = 240_000;

async function startBacktest(page: Page, universe?: string): Promise<string> {
  if (universe) await page.getByTestId("backtest-universe").selectOption(universe);
  const previous = page.getByTestId("run-started-link");
  const before = (await previous.count()) > 0 ? await previous.getAttribute("data-run-id") : null;
  await page.getByTestId("start-backtest").click();
  const link = page.getByTestId("run-started-link");
  await expect(link).toBeVisible();
  if (before) await expect(link).not.toHaveAttribute("data-run-id", before);
  const runId = (await link.getAttribute("data-run-id")) ?? "";
  expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  return runId;
}

test("a backtest runs in the background, reports progress, succeeds; another is cancelled", async ({
  page,
}, testInfo) => {
  test.setTimeout(480_000);
  const slug = `runs-${Date.now().toString(36)}`;
  let workspaceId = "";

  await test.step("sign up, create a workspace and a strategy from an example", async () => {
    await page.goto("/sign-up");
    await submitSignUp(page, uniqueEmail("runs-owner"), /\/w$/);
    await page.getByTestId("workspace-name").fill("Runs Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    // A fresh data folder writes the demo universe at startup; the embedded database is busy meanwhile.
    await expect(page.getByTestId("workspace-role")).toHaveText("owner", { timeout: 90_000 });
    workspaceId = (await page.getByTestId("workspace-shell").getAttribute("data-workspace-id")) ?? "";
    expect(workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    const created = await callMutation(page, "strategies.create", {
      workspaceId,
      name: "SMA cross (e2e)",
      code: EXAMPLES["sma-cross"].source,
    });
    expect(created.status, created.message ?? "strategy created").toBe(200);
  });

  let firstRun = "";
  await test.step("start a backtest from the Runs page; progress appears in the list", async () => {
    await page.getByTestId("nav-runs").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/runs$`));
    await expect(page.getByTestId("runs-empty")).toBeVisible();
    await expect(page.getByTestId("backtest-strategy")).toHaveValue(/^[0-9a-f-]{36}$/);
    firstRun = await startBacktest(page);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${firstRun}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("run-progress")).toBeVisible();
    await expect(row.getByTestId("run-stage")).not.toBeEmpty();
    await shot(page, testInfo, "runs-started");
  });

  await test.step("the run page follows the run live until it succeeds and shows metrics", async () => {
    await page.getByTestId("run-started-link").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/runs/${firstRun}$`));
    await expect(page.getByTestId("run-progress")).toBeVisible();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: FIRST_RUN_MS });
    await expect(page.getByTestId("run-progress")).toHaveAttribute("data-percent", "100");
    await expect(page.getByTestId("metrics")).toContainText("Total return");
    await expect(page.getByTestId("equity-chart").locator("svg.recharts-surface[role=application]")).toBeVisible();
    await expect(page.getByTestId("drawdown-chart").locator("svg.recharts-surface[role=application]")).toBeVisible();
    await expect(page.getByTestId("trades-table")).toBeAttached();
    await expect(page.getByTestId("run-cancel"), "finished runs cannot be cancelled").toHaveCount(0);
    await shot(page, testInfo, "runs-succeeded");
  });

  await test.step("a second run is cancelled from its page", async () => {
    await page.getByTestId("nav-runs").click();
    // The largest universe keeps each run busy for a while, and two runs run per workspace at a
    // time: the third waits behind them, so it is still cancellable when we click.
    const largest = await page.getByTestId("backtest-universe").evaluate((el) => {
      const options = [...(el as HTMLSelectElement).options].map((o) => ({
        value: o.value,
        size: Number(/\((\d+)\)$/.exec(o.text)?.[1] ?? 0),
      }));
      return options.sort((a, b) => b.size - a.size)[0]?.value ?? "";
    });
    await startBacktest(page, largest);
    await startBacktest(page, largest);
    const victim = await startBacktest(page, largest);
    await page.getByTestId("run-started-link").click();
    await expect(page).toHaveURL(new RegExp(`/runs/${victim}$`));
    await page.getByTestId("run-cancel").click();
    await page.getByTestId("run-cancel-confirm").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
    await expect(page.getByTestId("run-cancelled")).toBeVisible();
    await shot(page, testInfo, "runs-cancelled");
  });

  await test.step("the list filters by status", async () => {
    await page.getByTestId("nav-runs").click();
    await page.getByTestId("runs-filter-status").selectOption("cancelled");
    await expect(page.getByTestId("run-row")).toHaveCount(1);
    await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-status", "cancelled");
    await page.getByTestId("runs-filter-status").selectOption("");
    await expect(page.locator('[data-testid="run-row"][data-status="succeeded"]').first()).toBeVisible({
      timeout: FIRST_RUN_MS,
    });
    await shot(page, testInfo, "runs-list");
  });

  await test.step("a saved screen runs now, shows its ranked table and exports CSV", async () => {
    await page.getByTestId("nav-screens").click();
    await page.getByTestId("screen-name").fill("Tech momentum");
    await expect(page.getByTestId("screen-strategy")).toHaveValue(/^[0-9a-f-]{36}$/);
    await page.getByTestId("screen-limit").fill("10");
    await page.getByTestId("create-screen").click();
    const card = page.getByTestId("screen-card").filter({ hasText: "Tech momentum" });
    await expect(card).toBeVisible();
    await card.getByTestId("screen-run-now").click();
    await expect(card.getByTestId("screen-history-row").first()).toHaveAttribute("data-status", "succeeded", {
      timeout: FIRST_RUN_MS,
    });
    await expect(card.getByTestId("screen-row").first()).toHaveAttribute("data-rank", "1");
    const href = (await card.getByTestId("screen-csv").getAttribute("href")) ?? "";
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv.split("\n")[0]).toContain("rank,symbol,score");
    const foreign = href.replace(/workspaceId=[^&]+/, "workspaceId=00000000-0000-4000-8000-000000000000");
    expect(
      await page.evaluate(async (url) => (await fetch(url)).status, foreign),
      "another workspace's id is not found",
    ).toBe(404);
    await shot(page, testInfo, "screens");
  });

  await test.step("an alert rule and a webhook channel are created; the secret shows once", async () => {
    await page.getByTestId("nav-alerts").click();
    await expect(page.getByTestId("notification-bell")).toBeVisible();
    await page.getByTestId("rule-name").fill("Oversold tech");
    await page.getByTestId("rule-symbols").fill("AAPL, MSFT");
    await page.getByTestId("rule-priority").selectOption("high");
    await page.getByTestId("create-rule").click();
    await expect(page.getByTestId("rule-row").filter({ hasText: "Oversold tech" })).toBeVisible();
    await page.getByTestId("channel-name").fill("Desk hook");
    await page.getByTestId("channel-target").fill("https://example.com/hooks/lab");
    await page.getByTestId("create-channel").click();
    await expect(page.getByTestId("webhook-secret-value")).toHaveValue(/.{16,}/);
    await shot(page, testInfo, "alerts-secret");
    await page.getByTestId("webhook-secret-done").click();
    await expect(page.getByTestId("channel-row").filter({ hasText: "Desk hook" })).toBeVisible();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
    await shot(page, testInfo, "alerts");
  });
});
