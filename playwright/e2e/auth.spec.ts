/** Sign-in errors, the signed-out redirect and the health endpoint. */
import { expect, test } from "@playwright/test";
import { PASSWORD, shot, uniqueEmail } from "../fixtures/journey";

test("a wrong password shows the server's message and keeps you on the sign-in page", async ({
  page,
  request,
}, testInfo) => {
  const email = uniqueEmail("wrong-pw");
  const created = await request.post("/api/trpc/account.signUp", { data: { email, password: PASSWORD } });
  expect(created.ok(), await created.text()).toBe(true);

  await page.goto("/sign-in");
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill("not-the-password-1");
  await page.getByTestId("sign-in-submit").click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
  await shot(page, testInfo, "auth-wrong-password");
});

test("signed-out visitors of a workspace page are sent to sign in and back", async ({ page }) => {
  await page.goto("/w/some-team/members");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fw%2Fsome-team%2Fmembers/);
  await expect(page.getByTestId("sign-in-form")).toBeVisible();
  await expect(page.getByTestId("oauth-buttons"), "no OAuth buttons without provider env vars").toHaveCount(0);
});

test("/api/health answers ok with the database status", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; database: { status: string }; version: string };
  expect(body.status).toBe("ok");
  expect(body.database.status).toBe("ok");
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});
