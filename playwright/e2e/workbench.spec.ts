/**
 * The Lab as a workbench, as a newcomer gets it: against its own app process with the demo live
 * feed on at the app's default interval (fixtures/feed-on-server.ts), not the shared feed-off server:
 * - every streamed editor frame is a prefix of the final code; Stop keeps what arrived, marked incomplete;
 * - Lab → Runs → Back, and a reload, restore the request, code, parameters and results (URL + draft);
 * - publish from the Lab's results; the logged-out report states the data kind and assumptions;
 * - dark mode follows the system and the toggle; compare two runs; axe finds no serious violations.
 * Screenshots of the Lab, run page and report in light and dark go to playwright/artifacts.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures/feed-on-server";
import { PASSWORD, uniqueEmail } from "../fixtures/journey";

const artifacts = fileURLToPath(new URL("../artifacts", import.meta.url));

async function artifact(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Serious or critical axe violations (Monaco's own widget is a third-party editor, checked separately upstream). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).exclude(".monaco-editor").analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

/** Relative luminance-ish brightness (0–255) of the body background. */
async function bodyBrightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.createElement("canvas").getContext("2d");
    if (!c) return -1;
    c.fillStyle = getComputedStyle(document.body).backgroundColor;
    c.fillRect(0, 0, 1, 1);
    const [r, g, b] = c.getImageData(0, 0, 1, 1).data;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
}

/** Starts recording every editor content change (the editor's own text, not React state). */
async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="code-editor"]') as
      (HTMLElement & { editorValue?: () => string }) | null;
    const w = window as unknown as { __frames: string[] };
    w.__frames = [];
    if (!el) return;
    new MutationObserver(() => {
      const text = el.editorValue?.() ?? "";
      if (text && text !== w.__frames[w.__frames.length - 1]) w.__frames.push(text);
    }).observe(el, { attributes: true, attributeFilter: ["data-code-length"] });
  });
}

const frames = (page: Page) => page.evaluate(() => (window as unknown as { __frames: string[] }).__frames);
const editorText = (page: Page) =>
  page
    .getByTestId("code-editor")
    .evaluate((el) => (el as HTMLElement & { editorValue?: () => string }).editorValue?.() ?? "");

test("the Lab streams correct code, survives navigation, publishes, compares, and reads well light and dark", async ({
  page,
  browser,
  request,
  baseURL,
}, testInfo) => {
  test.setTimeout(600_000);
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });

  await expect
    .poll(async () => (await request.get("/api/health", { timeout: 150_000 })).status(), { timeout: 160_000 })
    .toBe(200);
  expect(
    new URL(testInfo.project.use.baseURL ?? "http://x").port,
    "not the shared feed-off server: this spec has its own app with the feed on",
  ).not.toBe(new URL(baseURL ?? "http://x").port);
  const slug = `wb-${Date.now().toString(36)}`;

  await test.step("sign up, create a workspace, open the Lab", async () => {
    // Wait for hydration: with the live feed ticking, a click before it would submit the bare form.
    await page.goto("/sign-up", { timeout: 120_000, waitUntil: "networkidle" });
    await page.getByTestId("sign-up-email").fill(uniqueEmail("workbench"));
    await page.getByTestId("sign-up-password").fill(PASSWORD);
    await page.getByTestId("sign-up-submit").click();
    await expect(page).toHaveURL(/\/w$/, { timeout: 90_000 });
    await page.getByTestId("workspace-name").fill("Workbench Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
    await page.getByTestId("nav-lab").click();
    await expect(page.getByTestId("code-editor")).toBeVisible({ timeout: 60_000 });
  });

  await test.step("Stop keeps exactly the code that had arrived, marked incomplete", async () => {
    await page.getByTestId("prompt-input").fill("Buy on a new 20-day high and sell on a new 10-day low");
    await recordFrames(page);
    // A slow connection keeps the stream going long enough to press Stop in the middle of it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 50,
      downloadThroughput: 400,
      uploadThroughput: -1,
    });
    await page.getByTestId("generate-button").click();
    await expect.poll(async () => (await frames(page)).length, { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByTestId("stop-button").click();
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await expect(page.getByTestId("code-incomplete")).toHaveAttribute("data-incomplete", "true");
    const kept = await editorText(page);
    const seen = await frames(page);
    expect(kept, "the editor shows the last frame that arrived").toBe(seen[seen.length - 1]);
    await page.waitForTimeout(1500);
    expect(await editorText(page), "nothing arrives after Stop").toBe(kept);
  });

  let finalCode = "";
  await test.step("every streamed frame is a prefix of the final code", async () => {
    await page.getByTestId("prompt-input").fill("RSI below 30 and volume spike above 2x average");
    await recordFrames(page);
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed", { timeout: 90_000 });
    await expect(page.getByTestId("code-incomplete")).toHaveCount(0);
    finalCode = await editorText(page);
    const seen = await frames(page);
    expect(seen.length, "several frames were observed").toBeGreaterThanOrEqual(3);
    const bad = seen.filter((f) => !finalCode.startsWith(f));
    expect(
      bad.length,
      `frames that are not prefixes of the final code: ${bad.map((f) => JSON.stringify(f.slice(-40))).join(", ")}`,
    ).toBe(0);
    expect(finalCode).toContain("defineStrategy");
  });

  let firstRunId = "";
  await test.step("run with a changed parameter; the URL records the work", async () => {
    await page.getByTestId("param-rsiBelow").fill("25");
    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    await expect(page.getByTestId("metrics")).toContainText("Calmar");
    await expect(page.getByTestId("metrics")).toContainText("Starting capital");
    await expect(page).toHaveURL(/[?&]run=[0-9a-f-]{36}/);
    const url = new URL(page.url());
    expect(url.searchParams.get("strategy")).toMatch(/^[0-9a-f-]{36}$/);
    expect(url.searchParams.get("v")).toBe("1");
    expect(JSON.parse(url.searchParams.get("p") ?? "{}")).toMatchObject({ rsiBelow: 25 });
    firstRunId = url.searchParams.get("run") ?? "";
    await expect(page.getByTestId("equity-chart")).toContainText("Equity (US$)");
    await expect(page.getByTestId("monthly-heatmap")).toBeVisible();
    await expect(page.getByTestId("trade-distribution")).toBeVisible();
    const price = page.getByTestId("price-chart");
    await expect(price.locator("[data-ready]")).toHaveAttribute("data-ready", "true", { timeout: 30_000 });
    expect(
      Number(await price.getAttribute("data-markers")),
      "entries and exits are marked on the price chart",
    ).toBeGreaterThan(0);
    await expect(price.locator("canvas").first()).toBeVisible();
    await expect(page.getByTestId("lab-run-link")).toHaveAttribute("href", `/w/${slug}/runs/${firstRunId}`);
    await artifact(page, "lab-light");
  });

  const expectRestored = async () => {
    await expect(page.getByTestId("prompt-input")).toHaveValue("RSI below 30 and volume spike above 2x average");
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toBe(finalCode);
    await expect(page.getByTestId("param-rsiBelow")).toHaveValue("25");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    await expect(page.getByTestId("metrics")).toContainText("Total return");
    // The saved version was validated when saved: it reads as validated again, not "Not validated yet".
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed", { timeout: 60_000 });
  };

  await test.step("Lab → Runs → Back restores the request, code, parameters and results", async () => {
    await page.getByTestId("nav-runs").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/runs$`));
    await page.goBack();
    await expect(page).toHaveURL(/\/lab\?/);
    await expectRestored();
  });

  await test.step("a reload restores it too", async () => {
    await page.reload();
    await expectRestored();
  });

  const focusedPanel = () => page.evaluate(() => document.activeElement?.getAttribute("data-panel") ?? null);
  await test.step("Alt+] / Alt+[ move between the Lab's panels, and the tooltips say so", async () => {
    await expect(page.getByRole("heading", { name: "Describe", exact: true })).toHaveAttribute("title", /Alt\+\]/);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Alt+BracketRight");
    await expect.poll(focusedPanel).toBe("describe");
    await page.keyboard.press("Alt+BracketRight");
    await expect.poll(focusedPanel).toBe("code");
    await page.keyboard.press("Alt+BracketLeft");
    await expect.poll(focusedPanel).toBe("describe");
    await page.keyboard.press("Alt+BracketLeft");
    await expect.poll(focusedPanel, "wraps around to the last panel (the trades)").toBe("trades");
  });

  let reportUrl = "";
  await test.step("publish from the Lab's results", async () => {
    await page.getByTestId("publish-report").click();
    await page.getByTestId("publish-report-submit").click();
    reportUrl = await page.getByTestId("publish-report-link").inputValue();
    expect(reportUrl).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  });

  await test.step("the logged-out report states the data kind and the assumptions, with trades paged", async () => {
    const html = await (await request.get(reportUrl)).text();
    expect(html.length, "the report page stays small").toBeLessThan(400_000);
    test.info().annotations.push({ type: "report-html-bytes", description: String(html.length) });
    console.log(`report page: ${html.length} bytes of HTML`);
    const reader = await browser.newContext();
    const r = await reader.newPage();
    await r.goto(reportUrl);
    await expect(r.getByTestId("report-data-kind")).toHaveAttribute("data-kind", "synthetic");
    await expect(r.getByTestId("report-data-kind")).toContainText("Synthetic data");
    const facts = r.getByTestId("report-assumptions");
    for (const fact of ["Universe", "Period", "Starting capital", "Commission", "Slippage", "Fills", "Parameters"])
      await expect(facts).toContainText(fact);
    await expect(facts).toContainText("$10,000");
    await expect(facts).toContainText("rsiBelow = 25");
    await expect(facts).toContainText("next bar's open");
    await expect(r.getByTestId("equity-chart")).toContainText("Equity (US$)");
    expect(
      await r.locator('[data-testid="equity-chart"] [data-axis="date"]').count(),
      "dates on the x axis",
    ).toBeGreaterThan(2);
    await artifact(r, "report-light");
    expect.soft(await seriousViolations(r), "report: no serious accessibility violations").toEqual([]);
    await r.emulateMedia({ colorScheme: "dark" });
    await r.reload();
    expect(await bodyBrightness(r), "the report follows a dark system theme").toBeLessThan(60);
    await artifact(r, "report-dark");
    expect.soft(await seriousViolations(r), "report (dark): no serious accessibility violations").toEqual([]);
    await reader.close();
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    await p.goto(reportUrl);
    await expect(p.getByTestId("report-data-kind")).toBeVisible();
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(
      overflow,
      "on a phone the report fits the screen width (wide tables scroll inside their box)",
    ).toBeLessThanOrEqual(1);
    await artifact(p, "report-phone");
    expect.soft(await seriousViolations(p), "report (phone): no serious accessibility violations").toEqual([]);
    await phone.close();
  });

  await test.step("the run page shows the same numbers and the parameters", async () => {
    const labReturn = await page.locator('[data-metric="total_return_pct"] dd').innerText();
    await page.getByTestId("lab-run-link").click();
    await expect(page.getByTestId("run-detail")).toBeVisible();
    await expect(page.locator('[data-metric="total_return_pct"] dd')).toHaveText(labReturn);
    await expect(page.getByTestId("run-facts")).toContainText("rsiBelow = 25");
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Alt+BracketRight");
    await expect.poll(focusedPanel, "the run page has the panel keys too").toBe("run");
    await artifact(page, "run-light");
    expect.soft(await seriousViolations(page), "run page: no serious accessibility violations").toEqual([]);
    await page.goBack();
    await expectRestored();
    expect.soft(await seriousViolations(page), "Lab: no serious accessibility violations").toEqual([]);
  });

  await test.step("dark mode follows the system, and the toggle overrides it", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => bodyBrightness(page)).toBeLessThan(60);
    await expect(page.locator(".monaco-editor.vs-dark")).toBeVisible();
    await artifact(page, "lab-dark");
    expect.soft(await seriousViolations(page), "Lab (dark): no serious accessibility violations").toEqual([]);
    const toggle = page.getByTestId("theme-toggle");
    await expect(toggle).toHaveAttribute("data-theme-choice", "system");
    await toggle.click(); // system → dark
    await toggle.click(); // dark → light
    await expect(toggle).toHaveAttribute("data-theme-choice", "light");
    await expect.poll(() => bodyBrightness(page)).toBeGreaterThan(200);
    await page.reload();
    await expect
      .poll(() => bodyBrightness(page), { message: "the choice survives a reload (cookie)" })
      .toBeGreaterThan(200);
    await page.getByTestId("theme-toggle").click(); // light → system (dark here)
    await expect.poll(() => bodyBrightness(page)).toBeLessThan(60);
    await page.getByTestId("lab-run-link").click();
    await expect(page.getByTestId("run-detail")).toBeVisible();
    await artifact(page, "run-dark");
    expect.soft(await seriousViolations(page), "run page (dark): no serious accessibility violations").toEqual([]);
    await page.goBack();
    await expectRestored();
    await page.emulateMedia({ colorScheme: "light" });
  });

  let labUrl = "";
  await test.step("compare two runs side by side", async () => {
    await page.getByTestId("param-rsiBelow").fill("35");
    await page.getByTestId("run-button").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("run")).not.toBe(firstRunId);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    const secondRunId = new URL(page.url()).searchParams.get("run") ?? "";
    labUrl = page.url();
    await page.getByTestId("lab-compare-link").click();
    await expect(page).toHaveURL(new RegExp(`/runs/compare\\?a=${secondRunId}`));
    await page.getByTestId("compare-b").selectOption(firstRunId);
    await page.getByTestId("compare-submit").click();
    await expect(page.getByTestId("compare-view")).toBeVisible();
    await expect(page.getByTestId("compare-metrics").locator('[data-metric="total_return_pct"] td')).toHaveCount(3);
    await expect(page.getByTestId("compare-equity-a").locator("svg path")).not.toHaveCount(0);
    await expect(page.getByTestId("compare-equity-b").locator("svg path")).not.toHaveCount(0);
    expect.soft(await seriousViolations(page), "compare: no serious accessibility violations").toEqual([]);
  });

  await test.step("compare two versions of the strategy: code diff and their latest backtests", async () => {
    await page.goto(labUrl);
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toBe(finalCode);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    const strategyId = new URL(page.url()).searchParams.get("strategy") ?? "";
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\n// version 2: the same rules, saved again\n");
    await expect.poll(() => editorText(page)).toContain("version 2: the same rules");
    await page.getByTestId("save-button").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("v")).toBe("2");
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed");
    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
    const v2RunId = new URL(page.url()).searchParams.get("run") ?? "";
    expect(v2RunId).not.toBe("");
    await page.goto(`/w/${slug}/strategies/${strategyId}`);
    await expect(page.getByTestId("version-compare-a")).toHaveValue("1");
    await expect(page.getByTestId("version-compare-b")).toHaveValue("2");
    await page.getByTestId("version-compare-submit").click();
    await expect(page).toHaveURL(new RegExp(`/strategies/${strategyId}/compare\\?a=1&b=2`));
    await expect(page.getByTestId("version-diff")).toContainText("v1 (left) → v2 (right)");
    await expect(page.getByTestId("diff-editor")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("compare-view")).toBeVisible();
    await expect(page.getByTestId("version-no-backtest")).toHaveCount(0);
    // B is v2's only backtest; A is v1's latest (the second Lab run).
    await expect(page.getByTestId("compare-metrics").locator("thead")).toContainText("v1");
    await expect(page.getByTestId("compare-metrics").locator("thead")).toContainText("v2");
    await expect(page.getByTestId("compare-metrics").locator(`a[href$="/runs/${v2RunId}"]`)).toHaveCount(1);
    await expect(page.getByTestId("compare-equity-b").locator("svg path")).not.toHaveCount(0);
    expect.soft(await seriousViolations(page), "version compare: no serious accessibility violations").toEqual([]);
  });

  expect(
    consoleErrors.filter((e) => /Content Security Policy|Refused to (load|execute|apply)/i.test(e)),
    "no CSP refusals in the console",
  ).toEqual([]);
});
