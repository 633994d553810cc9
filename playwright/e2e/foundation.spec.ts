/**
 * The foundation journey: sign up → create a workspace → invite a viewer by link → the viewer
 * joins and cannot edit (UI and server both refuse) → the owner changes the viewer's role and
 * sees the whole trail in the audit log and its CSV export.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { callMutation, shot, signIn, signOut, submitSignUp, uniqueEmail } from "../fixtures/journey";

test("owner invites a viewer who cannot edit; the audit log records it all", async ({ page }, testInfo) => {
  const ownerEmail = uniqueEmail("owner");
  const viewerEmail = uniqueEmail("viewer");
  const slug = `alpha-${Date.now().toString(36)}`;
  let inviteLink = "";
  let workspaceId = "";

  await test.step("owner signs up and creates a workspace", async () => {
    await page.goto("/sign-up");
    await submitSignUp(page, ownerEmail, /\/w$/);
    await expect(page.getByTestId("workspaces-empty")).toBeVisible();
    await page.getByTestId("workspace-name").fill("Alpha Research");
    await expect(page.getByTestId("workspace-slug"), "the slug is suggested from the name").toHaveValue(
      "alpha-research",
    );
    await page.getByTestId("workspace-slug").fill("api");
    await page.getByTestId("create-workspace-submit").click();
    await expect(page.getByTestId("create-workspace-error"), "bad slugs are explained inline").toHaveText(
      "This slug is reserved; choose another.",
    );
    await page.getByTestId("workspace-slug").fill(slug);
    await page.getByTestId("create-workspace-submit").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
    await expect(page.getByTestId("workspace-title")).toHaveText("Alpha Research");
    await expect(page.getByTestId("workspace-role")).toHaveText("owner");
    workspaceId = (await page.getByTestId("workspace-shell").getAttribute("data-workspace-id")) ?? "";
    expect(workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    await shot(page, testInfo, "01-workspace-created");
  });

  await test.step("owner creates a viewer invite link", async () => {
    await page.getByTestId("nav-members").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/members$`));
    await page.getByTestId("invite-role").selectOption("viewer");
    await page.getByTestId("invite-expiry-days").fill("3");
    await page.getByTestId("invite-submit").click();
    await expect(page.getByTestId("invite-link")).toHaveValue(/\/invite\/[\w-]{20,}$/);
    inviteLink = await page.getByTestId("invite-link").inputValue();
    await expect(page.getByTestId("invite-row"), "the new invite is listed as open").toHaveCount(1);
    await shot(page, testInfo, "02-invite-created");
    await signOut(page);
  });

  await test.step("second user signs up from the invite and accepts", async () => {
    await page.goto(new URL(inviteLink).pathname);
    await expect(page.getByTestId("invite-preview")).toHaveAttribute("data-state", "open");
    await expect(page.getByTestId("invite-workspace-name")).toHaveText("Alpha Research");
    await expect(page.getByTestId("invite-role-badge")).toHaveText("viewer");
    await page.getByTestId("invite-sign-up").click();
    await expect(page).toHaveURL(/\/sign-up\?callbackUrl=/);
    await submitSignUp(page, viewerEmail, /\/invite\//);
    await shot(page, testInfo, "03-invite-signed-in");
    await page.getByTestId("invite-accept").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
    await expect(page.getByTestId("workspace-role")).toHaveText("viewer");
    await page.goto(new URL(inviteLink).pathname);
    await expect(page.getByTestId("invite-preview"), "a link works once").toHaveAttribute("data-state", "used");
    await expect(page.getByTestId("invite-state-message")).toContainText("already been used");
    await expect(page.getByTestId("invite-accept")).toHaveCount(0);
    await page.goto(`/w/${slug}`);
  });

  await test.step("the viewer reads but cannot edit", async () => {
    await expect(page.getByTestId("nav-audit"), "admin-only sections are hidden").toHaveCount(0);
    await page.getByTestId("nav-members").click();
    await expect(page.getByTestId("member-row")).toHaveCount(2);
    await expect(page.getByTestId("member-role")).toHaveCount(2);
    await expect(page.getByTestId("member-role-select")).toHaveCount(0);
    await expect(page.getByTestId("member-remove")).toHaveCount(0);
    await expect(page.getByTestId("invite-form")).toHaveCount(0);
    await expect(page.getByTestId("leave-workspace")).toBeVisible();
    await shot(page, testInfo, "04-viewer-members");

    await page.getByTestId("nav-settings").click();
    await expect(page.getByTestId("rename-name")).toBeDisabled();
    await expect(page.getByTestId("rename-submit")).toBeDisabled();
    await expect(page.getByTestId("delete-form")).toHaveCount(0);
    await expect(page.getByTestId("role-matrix")).toBeVisible();

    await page.goto(`/w/${slug}/audit`);
    await expect(page.getByTestId("audit-forbidden")).toHaveText(/Only admins can see the audit log/);
    await shot(page, testInfo, "05-viewer-audit-forbidden");

    const rename = await callMutation(page, "workspaces.update", { workspaceId, name: "Taken over" });
    expect(rename, "the server refuses a hand-made rename").toMatchObject({ status: 403, code: "FORBIDDEN" });
    const invite = await callMutation(page, "invites.create", { workspaceId, role: "admin", expiresInDays: 1 });
    expect(invite, "the server refuses a hand-made invite").toMatchObject({ status: 403, code: "FORBIDDEN" });
    await signOut(page);
  });

  await test.step("owner changes the viewer's role to member and back", async () => {
    await signIn(page, ownerEmail);
    await page.goto(`/w/${slug}/members`);
    const viewerRow = page.locator(`[data-testid="member-row"][data-email="${viewerEmail}"]`);
    const ownerRow = page.locator(`[data-testid="member-row"][data-email="${ownerEmail}"]`);
    await expect(ownerRow.getByTestId("member-role-select"), "nobody edits their own role").toBeDisabled();
    const select = viewerRow.getByTestId("member-role-select");
    for (const role of ["member", "viewer"]) {
      await select.selectOption(role);
      // data-role is rendered by the server: it changes only once the change is stored and the page re-rendered.
      await expect(viewerRow).toHaveAttribute("data-role", role);
      await expect(select).toBeEnabled();
      await expect(select).toHaveValue(role);
    }
    await expect(page.getByTestId("members-error")).toHaveCount(0);
    await page.reload();
    await expect(viewerRow.getByTestId("member-role-select")).toHaveValue("viewer");
    await shot(page, testInfo, "06-owner-members");
  });

  await test.step("the audit log lists every change with its actor", async () => {
    await page.getByTestId("nav-audit").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/audit$`));
    const row = (action: string) => page.locator(`[data-testid="audit-row"][data-action="${action}"]`);
    await expect(row("workspace.created").getByTestId("audit-actor")).toHaveText(ownerEmail);
    await expect(row("invite.created").getByTestId("audit-actor")).toHaveText(ownerEmail);
    await expect(row("invite.accepted").getByTestId("audit-actor")).toHaveText(viewerEmail);
    await expect(row("member.role_changed")).toHaveCount(2);
    await expect(row("member.role_changed").first().getByTestId("audit-actor")).toHaveText(ownerEmail);
    await shot(page, testInfo, "07-audit-log");

    await page.getByTestId("audit-filter-action").fill("member.role_changed");
    await page.getByTestId("audit-filter-apply").click();
    await expect(page).toHaveURL(/action=member.role_changed/);
    await expect(page.getByTestId("audit-row")).toHaveCount(2);
    await page.getByTestId("audit-filter-reset").click();
    await expect(page.getByTestId("audit-row"), "created, invited, accepted, two role changes").toHaveCount(5);
    await expect(
      row("member.role_changed").first().getByTestId("audit-target"),
      "user targets show their email",
    ).toHaveText(`user ${viewerEmail}`);

    // Keyset pages of two rows: [role, role] → [accepted, invite] → [created], and back.
    await page.goto(`/w/${slug}/audit?size=2`);
    const actions = () => page.getByTestId("audit-action");
    await expect(actions()).toHaveText(["member.role_changed", "member.role_changed"]);
    await page.getByTestId("audit-older").click();
    await expect(actions()).toHaveText(["invite.accepted", "invite.created"]);
    await page.getByTestId("audit-older").click();
    await expect(actions()).toHaveText(["workspace.created"]);
    await expect(page.getByTestId("audit-older")).toHaveCount(0);
    await page.getByTestId("audit-newer").click();
    await expect(actions()).toHaveText(["invite.accepted", "invite.created"]);
    await page.getByTestId("audit-newer").click();
    await expect(actions()).toHaveText(["member.role_changed", "member.role_changed"]);
    await expect(page.getByTestId("audit-newer")).toHaveCount(0);

    const downloadPromise = page.waitForEvent("download");
    await page.getByTestId("audit-export").click();
    const download = await downloadPromise;
    const file = await download.path();
    const csv = await readFile(file, "utf8");
    await testInfo.attach("audit.csv", { body: csv, contentType: "text/csv" });
    expect(csv.split("\n")[0]).toContain("action");
    for (const action of ["workspace.created", "invite.created", "invite.accepted", "member.role_changed"]) {
      expect(csv, `CSV contains ${action}`).toContain(action);
    }
    expect(csv).toContain(ownerEmail);
    expect(csv).toContain(viewerEmail);
  });
});
