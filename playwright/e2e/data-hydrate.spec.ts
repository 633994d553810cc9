/**
 * Data page with the hydration card: without a configured provider it says which variables turn
 * one on; a CSV import lands in the "imported" universe, which shows when it was last updated;
 * the page raises no client errors.
 */
import { expect, test } from "@playwright/test";
import { shot, submitSignUp, uniqueEmail } from "../fixtures/journey";

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  let fast = 0;
  while (fast < 3) {
    const t0 = Date.now();
    const res = await request.get("/api/health", { timeout: 120_000 });
    fast = res.ok() && Date.now() - t0 < 1000 ? fast + 1 : 0;
    if (fast < 3) await new Promise((r) => setTimeout(r, 500));
  }
});

test("data page: hydrations card, CSV import, universe last updated", async ({ page }, testInfo) => {
  test.slow();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  const slug = `data-${Date.now().toString(36)}`;
  await page.goto("/sign-up", { timeout: 120_000 });
  await submitSignUp(page, uniqueEmail("data-owner"), /\/w$/);
  await page.getByTestId("workspace-name").fill("Data Desk");
  await page.getByTestId("workspace-slug").fill(slug);
  await page.getByTestId("create-workspace-submit").click();
  await expect(page.getByTestId("workspace-role")).toHaveText("owner");

  await page.goto(`/w/${slug}/data`);
  await expect(page.getByRole("heading", { name: "Hydrations" })).toBeVisible();
  await expect(page.getByText(/No data provider is configured .*POLYGON_API_KEY/)).toBeVisible();
  // Every source is listed, off until its variable is set.
  await expect(page.getByTestId("sources-table")).toContainText("off — set FRED_API_KEY");
  await expect(page.getByTestId("sources-table")).toContainText("alphavantage-fx");

  const csv = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11.5,120\n";
  await page
    .getByTestId("csv-file-input")
    .setInputFiles({ name: "acme.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("csv-symbol-input").fill("ACME");
  await page.getByTestId("csv-import-button").click();
  await expect(page.getByTestId("csv-import-done")).toBeVisible();
  const row = page.locator('[data-testid="universe-row"][data-name="imported"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText(new Date().toISOString().slice(0, 10));
  // "Bars through": the newest stored bar of the universe (the CSV's last day)
  await expect(row.getByTestId("universe-last-bar")).toContainText("2024-01-03");
  await shot(page, testInfo, "data-page");
  expect(errors).toEqual([]);
});
