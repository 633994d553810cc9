/** API keys journey: an owner creates a key (shown once), the key works against REST, revoking it stops it at once. */
import { expect, test } from "@playwright/test";
import { shot, submitSignUp, uniqueEmail } from "../fixtures/journey";

// A fresh embedded database is busy writing the demo universe for ~30 s after the server starts,
// and every query waits meanwhile; start once /api/health answers promptly three times in a row.
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

test("owner creates a scoped key, uses it, and revokes it", async ({ page, request }, testInfo) => {
  test.slow();
  const slug = `keys-${Date.now().toString(36)}`;
  let key = "";

  await test.step("owner signs up and creates a workspace", async () => {
    await page.goto("/sign-up", { timeout: 120_000 });
    await submitSignUp(page, uniqueEmail("keys-owner"), /\/w$/);
    await page.getByTestId("workspace-name").fill("Key Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
  });

  await test.step("creates a read+run key that is shown once", async () => {
    await page.getByTestId("nav-keys").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/keys$`));
    await expect(page.getByTestId("api-keys-empty")).toBeVisible();
    await page.getByTestId("api-key-name").fill("nightly CI");
    await page.getByTestId("api-key-scope-run").check();
    await page.getByTestId("api-key-expiry-days").fill("30");
    await page.getByTestId("api-key-submit").click();
    await expect(page.getByTestId("api-key-value")).toHaveValue(/^sl_[A-Za-z0-9]{8}_[\w-]{43}$/);
    key = await page.getByTestId("api-key-value").inputValue();
    await expect(page.getByTestId("api-key-row")).toHaveCount(1);
    await expect(page.getByTestId("api-key-prefix")).toHaveText(key.slice(0, 11));
    await expect(page.getByTestId("api-key-last-used")).toHaveText("never");
    await shot(page, testInfo, "api-keys-created");
    await page.getByTestId("api-key-done").click();
    await expect(page.getByTestId("api-key-value"), "the key is not shown again").toHaveCount(0);
    await page.reload();
    await expect(page.locator("body")).not.toContainText(key.slice(12));
  });

  await test.step("the key calls the REST API; its last use shows up", async () => {
    const res = await request.get("/api/v1/strategies", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(200);
    expect(res.headers()["ratelimit-limit"]).toBeTruthy();
    await page.reload();
    await expect(page.getByTestId("api-key-last-used")).toHaveText(/UTC$/);
  });

  await test.step("revoking asks first, then the key stops working", async () => {
    await page.getByTestId("api-key-revoke").click();
    await page.getByTestId("api-key-revoke-confirm").click();
    await expect(page.getByTestId("api-key-row")).toHaveAttribute("data-state", "revoked");
    const res = await request.get("/api/v1/strategies", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    await shot(page, testInfo, "api-keys-revoked");
  });
});
