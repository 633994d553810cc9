/**
 * What a browser, a link checker or a crawler asks the production server for: the favicon and
 * web manifest exist (no 404 on every page), and a dead shared-report link says so in its status.
 */
import { expect, test } from "@playwright/test";

test("favicon, icons and web manifest are served", async ({ request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect((await icon.body()).subarray(0, 4).toString("hex"), "an ICO file").toBe("00000100");
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  const body = JSON.parse(await manifest.text());
  expect(body).toMatchObject({ name: "Strategy Lab", start_url: "/" });
  for (const i of body.icons as { src: string }[]) expect((await request.get(i.src)).status(), i.src).toBe(200);
  const home = await (await request.get("/sign-in")).text();
  expect(home).toContain('rel="manifest" href="/manifest.webmanifest"');
  expect(home).toMatch(/rel="icon" href="\/favicon\.ico"/);
});

test("an unknown report link answers 404 with the friendly page", async ({ request }) => {
  const res = await request.get(`/r/${"Z".repeat(43)}`);
  expect(res.status()).toBe(404);
  expect(await res.text()).toContain("Report not found");
});
