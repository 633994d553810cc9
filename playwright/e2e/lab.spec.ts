/**
 * Lab journey: sign up → workspace → Lab → type a theme → the editor fills over several
 * observed updates (offline generator streaming through tRPC) → validation passes → run the
 * backtest → equity, drawdown, metrics and trades render. Screenshots are kept as artifacts.
 * The app writes the demo universe on first start; the run waits for it.
 */
import { expect, test } from "@playwright/test";
import { PASSWORD, shot, uniqueEmail } from "../fixtures/journey";

test("a theme becomes validated code that backtests into charts and metrics", async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);

  await test.step("wait until the server has written the demo universe (first start)", async () => {
    // The health check queries the database, which answers once the demo universe's transaction is done.
    await expect
      .poll(async () => (await request.get("/api/health", { timeout: 150_000 })).status(), { timeout: 160_000 })
      .toBe(200);
  });
  const slug = `lab-${Date.now().toString(36)}`;

  await test.step("sign up and create a workspace", async () => {
    // A fresh server writes the demo universe first, which can hold the first page for a while.
    await page.goto("/sign-up", { timeout: 120_000, waitUntil: "domcontentloaded" });
    await page.getByTestId("sign-up-email").fill(uniqueEmail("lab-owner"));
    await page.getByTestId("sign-up-password").fill(PASSWORD);
    await page.getByTestId("sign-up-submit").click();
    await expect(page).toHaveURL(/\/w$/, { timeout: 90_000 });
    await page.getByTestId("workspace-name").fill("Lab Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
  });

  await test.step("open the Lab", async () => {
    await page.getByTestId("nav-lab").click();
    // the Lab keeps its state in the URL (universe, model, …), so query parameters may follow
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/lab(\\?.*)?$`), { timeout: 60_000 });
    await expect(page.getByTestId("code-editor")).toBeVisible({ timeout: 60_000 });
    await expect(
      page.getByTestId("offline-notice"),
      "without a provider the template generator is used and says so",
    ).toBeVisible();
  });

  await test.step("generate: the editor grows over several updates, then validation passes", async () => {
    await page.getByTestId("prompt-input").fill("RSI below 30 and volume spike above 2x average");
    // Record every change of the editor's content length in the page itself, so no update is missed.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="code-editor"]');
      const w = window as unknown as { __lengths: number[] };
      w.__lengths = [];
      if (!el) return;
      new MutationObserver(() => {
        const n = Number(el.getAttribute("data-code-length"));
        if (n > 0 && n !== w.__lengths[w.__lengths.length - 1]) w.__lengths.push(n);
      }).observe(el, { attributes: true, attributeFilter: ["data-code-length"] });
    });
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("stop-button")).toBeVisible();
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed", { timeout: 90_000 });
    const seen = await page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths);
    expect(seen.length, `editor lengths observed: ${seen.join(", ")}`).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i], "the streamed code only grows").toBeGreaterThan(seen[i - 1]);
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed");
    await expect(page.locator(".view-lines")).toContainText("defineStrategy");
    await expect(page.getByTestId("param-rsiBelow")).toHaveValue("30");
    await shot(page, testInfo, "lab-generated");
  });

  await test.step("run the backtest and see the results", async () => {
    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(page.getByTestId("equity-chart").locator("svg.recharts-surface").first()).toBeVisible();
    await expect(page.getByTestId("drawdown-chart").locator("svg.recharts-surface").first()).toBeVisible();
    await expect(page.getByTestId("metrics")).toContainText("Total return");
    await expect(page.getByTestId("trades-table")).toBeAttached();
    await shot(page, testInfo, "lab-results");
  });

  await test.step("the generated strategy is listed with its version", async () => {
    await page.getByTestId("nav-strategies").click();
    // The name is rendered from the rules the request was read as.
    await expect(page.getByTestId("strategies-list")).toContainText("RSI(14) is below 30");
  });
});
