/**
 * Evolve-and-promote journey: sign up → workspace → invite a member → start an evolution (an
 * evolve run over a demo symbol) → its page shows the generations and the individuals filed in
 * SHADOW → the lifecycle board shows a SHADOW card → the member's "Approve LIVE" is refused →
 * the owner (admin rights) approves it and the card moves to LIVE; the decision log records it.
 * The workspace's gates are lowered first (7 days of new bars cannot pass in a test without a
 * live feed, and the CANDIDATE → SHADOW gate is judged on the 90-day candidate backtest, about 63
 * daily bars, where 10 closed trades are rare), through the same per-workspace gate settings users have.
 */
import { expect, test, type Page } from "@playwright/test";
import { EXAMPLES } from "../../lib/sdk/examples";
import { callMutation, shot, signIn, signOut, submitSignUp, uniqueEmail } from "../fixtures/journey";

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

/** A tRPC mutation from the page that returns its data. */
async function mutate<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ procedure, input }) => {
      const res = await fetch(`/api/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { result?: { data?: unknown }; error?: { message?: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
      const data = body.result?.data as { json?: unknown } | undefined;
      return (data && typeof data === "object" && "json" in data ? data.json : data) as never;
    },
    { procedure, input },
  );
}

test("an evolution promotes a candidate to SHADOW; approving LIVE works for an admin and is refused for a member", async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const slug = `evo-${Date.now().toString(36)}`;
  const ownerEmail = uniqueEmail("evo-owner");
  const memberEmail = uniqueEmail("evo-member");
  let workspaceId = "";
  let strategyId = "";

  await test.step("owner signs up, creates a workspace and a strategy; invites a member who accepts", async () => {
    await page.goto("/sign-up");
    await submitSignUp(page, ownerEmail, /\/w$/);
    await page.getByTestId("workspace-name").fill("Evolution Desk");
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("workspace-role")).toHaveText("owner", { timeout: 90_000 });
    workspaceId = (await page.getByTestId("workspace-shell").getAttribute("data-workspace-id")) ?? "";
    const created = await mutate<{ strategy: { id: string } }>(page, "strategies.create", {
      workspaceId,
      name: "Evolution home",
      code: EXAMPLES["sma-cross"].source,
    });
    strategyId = created.strategy.id;
    const gates = await callMutation(page, "lifecycle.setGates", {
      workspaceId,
      gates: { shadowMinDays: 0, liveMinFitness: 0, shadowMinTrades: 1 },
    });
    expect(gates.status, gates.message ?? "gates set").toBe(200);
    await page.getByTestId("nav-members").click();
    await page.getByTestId("invite-role").selectOption("member");
    await page.getByTestId("invite-submit").click();
    await expect(page.getByTestId("invite-link")).toHaveValue(/\/invite\/[\w-]{20,}$/);
    const inviteLink = await page.getByTestId("invite-link").inputValue();
    await signOut(page);
    await page.goto(new URL(inviteLink).pathname);
    await page.getByTestId("invite-sign-up").click();
    await submitSignUp(page, memberEmail, /\/invite\//);
    await page.getByTestId("invite-accept").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}`), { timeout: 30_000 });
    await signOut(page);
    await signIn(page, ownerEmail);
  });

  let runId = "";
  await test.step("start an evolution; generations appear on its page with the individuals filed in SHADOW", async () => {
    const started = await mutate<{ runId: string }>(page, "runs.create", {
      workspaceId,
      run: { kind: "evolve", strategyId, symbols: ["BIJ"], evolve: { population: 20, generations: 3, seed: 7 } },
    });
    runId = started.runId;
    await page.goto(`/w/${slug}/runs/${runId}`);
    await expect(page.getByTestId("run-status")).toHaveText(/succeeded/, { timeout: 300_000 });
    await expect(page.getByTestId("evolve-generation")).toHaveCount(3);
    await expect(page.getByTestId("evolve-adopted").first()).toBeVisible();
    await shot(page, testInfo, "01-evolve-run");
  });

  await test.step("the board shows the promoted candidate in SHADOW; the member's approval is refused", async () => {
    await signOut(page);
    await signIn(page, memberEmail);
    await page.goto(`/w/${slug}/lifecycle`);
    const shadow = page.getByTestId("column-SHADOW").getByTestId("lifecycle-card");
    await expect(shadow.first()).toBeVisible();
    await expect(page.getByTestId("state-distribution")).toContainText(/SHADOW [1-9]/);
    await shadow.first().getByTestId("lifecycle-promote").click();
    await expect(shadow.first().getByTestId("lifecycle-error")).toContainText("strategies.approve");
    await expect(page.getByTestId("column-LIVE").getByTestId("lifecycle-card")).toHaveCount(0);
    await shot(page, testInfo, "02-member-refused");
  });

  await test.step("the owner approves LIVE; the card moves and the decision log records it", async () => {
    await signOut(page);
    await signIn(page, ownerEmail);
    await page.goto(`/w/${slug}/lifecycle`);
    const shadow = page.getByTestId("column-SHADOW").getByTestId("lifecycle-card");
    const before = await shadow.count();
    await shadow.first().getByTestId("lifecycle-promote").click();
    await expect(page.getByTestId("column-LIVE").getByTestId("lifecycle-card")).toHaveCount(1);
    await expect(shadow).toHaveCount(before - 1);
    await expect(page.getByTestId("decision-log")).toContainText("SHADOW → LIVE");
    await shot(page, testInfo, "03-admin-approved");
  });
});
