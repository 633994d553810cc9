/**
 * Security in the browser: the Lab (Monaco and its workers, streamed code, recharts) works under
 * the nonce-based Content-Security-Policy with no violation reported; pages and API answers carry
 * the security headers; a session cookie captured before sign-out no longer opens pages or
 * answers tRPC calls afterwards.
 */
import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "../fixtures/journey";

test("the Lab runs under the CSP without violations; a captured cookie dies at sign-out", async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|create|connect|frame)/i.test(m.text()))
      violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(
        `Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      );
    });
  });

  await expect
    .poll(async () => (await request.get("/api/health", { timeout: 150_000 })).status(), { timeout: 160_000 })
    .toBe(200);
  const slug = `csp-${Date.now().toString(36)}`;

  await test.step("API answers carry the headers", async () => {
    const res = await request.get("/api/health");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });

  await test.step("sign up; pages carry a nonce CSP", async () => {
    const res = await page.goto("/sign-up", { timeout: 120_000, waitUntil: "domcontentloaded" });
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res?.headers()["x-content-type-options"]).toBe("nosniff");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const scriptNonces = await page.evaluate(() => [...document.querySelectorAll("script")].map((s) => s.nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(
      scriptNonces.every((n) => n === nonce),
      "Next put the request's nonce on its scripts",
    ).toBe(true);
    await page.getByTestId("sign-up-email").fill(uniqueEmail("csp"));
    await page.getByTestId("sign-up-password").fill(PASSWORD);
    await page.getByTestId("sign-up-submit").click();
    await expect(page).toHaveURL(/\/w$/, { timeout: 90_000 });
    await page.getByTestId("workspace-name").fill("CSP Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
  });

  await test.step("the Lab streams code into Monaco, validates and runs into charts", async () => {
    await page.getByTestId("nav-lab").click();
    await expect(page.getByTestId("code-editor")).toBeVisible({ timeout: 60_000 });
    await page.getByTestId("prompt-input").fill("RSI below 30 and volume spike above 2x average");
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed", { timeout: 90_000 });
    await expect(page.locator(".view-lines")).toContainText("defineStrategy");
    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(page.getByTestId("equity-chart").locator("svg.recharts-surface").first()).toBeVisible();
    expect(violations, "no CSP violations while the Lab worked").toEqual([]);
  });

  await test.step("a cookie captured before sign-out opens nothing afterwards", async () => {
    const captured = await page.context().cookies();
    expect(captured.some((c) => c.name.includes("session-token"))).toBe(true);
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/sign-in/);
    const thief = await browser.newContext({ baseURL: page.url().replace(/\/sign-in.*$/, "") });
    await thief.addCookies(captured.filter((c) => c.name.includes("session-token")));
    const stolen = await thief.newPage();
    await stolen.goto(`/w/${slug}`);
    await expect(stolen).toHaveURL(/\/sign-in/);
    const trpc = await thief.request.get("/api/trpc/workspaces.list");
    expect(trpc.status()).toBe(401);
    await thief.close();
  });
});
