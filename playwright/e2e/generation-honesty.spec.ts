/**
 * Offline generation says what it did: the rules it understood in words, what it did not
 * understand (not in the code), and whether the code matches those rules on sampled bars —
 * beside the code. A request it understands nothing of writes no strategy. Generated code
 * shows no error squiggles in the editor.
 */
import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "../fixtures/journey";

test("the Lab lists understood and not-understood rules, checks faithfulness, and refuses what it cannot read", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await expect
    .poll(async () => (await request.get("/api/health", { timeout: 150_000 })).status(), { timeout: 160_000 })
    .toBe(200);

  await test.step("sign up, create a workspace, open the Lab", async () => {
    await page.goto("/sign-up", { timeout: 120_000, waitUntil: "domcontentloaded" });
    await page.getByTestId("sign-up-email").fill(uniqueEmail("honesty"));
    await page.getByTestId("sign-up-password").fill(PASSWORD);
    await page.getByTestId("sign-up-submit").click();
    await expect(page).toHaveURL(/\/w$/, { timeout: 90_000 });
    await page.getByTestId("workspace-name").fill("Honesty Desk");
    await page.getByTestId("workspace-slug").fill(`hd-${Date.now().toString(36)}`);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
    await page.getByTestId("nav-lab").click();
    await expect(page.getByTestId("code-editor")).toBeVisible({ timeout: 60_000 });
  });

  await test.step("a partly understood request: rules in words, the rest listed, faithfulness shown", async () => {
    await page
      .getByTestId("prompt-input")
      .fill(
        "Buy when the 50-day moving average crosses above the 200-day and the VIX is below 20, sell on the reverse cross",
      );
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("validation-status")).toHaveAttribute("data-state", "passed", { timeout: 90_000 });
    await expect(page.getByTestId("not-understood")).toContainText("vix");
    await expect(page.getByTestId("understood-rules")).toContainText(
      "Enter long when the 50-day SMA crosses above the 200-day SMA.",
    );
    await expect(page.getByTestId("understood-rules")).toContainText(
      "Exit when the 50-day SMA crosses below the 200-day SMA.",
    );
    await expect(page.getByTestId("faithfulness")).toHaveAttribute("data-state", "match", { timeout: 30_000 });
    await expect(page.getByTestId("faithfulness")).toHaveText(
      /^Matches the request on (\d+) of \1 sampled signal bars/,
    );
  });

  await test.step("the generated code has no error squiggles in the editor", async () => {
    await page.getByTestId("code-editor").locator(".view-lines").click();
    await page.waitForTimeout(4000); // the TypeScript worker checks the model in the background
    await expect(page.getByTestId("code-editor").locator(".squiggly-error")).toHaveCount(0);
  });

  await test.step("nothing understood: no strategy, a clear message with examples", async () => {
    await page.getByTestId("prompt-input").fill("make me money");
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("generation-error")).toContainText("No strategy was written", { timeout: 60_000 });
    await expect(page.getByTestId("generation-error")).toContainText("It understands requests like");
    await expect(page.getByTestId("understood-rules")).toHaveCount(0);
  });
});
