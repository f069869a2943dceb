import { expect, test } from "@playwright/test";

/* A tablet can add Traceline to its home screen: the favicon answers (no 404 on every first load) and the manifest is linked. */
test("serves the favicon, the icons and a linked web app manifest", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect((await ico.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  await page.goto("/sign-in");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ name: "Traceline", start_url: "/", display: "standalone" });
  for (const icon of manifest.icons as { src: string; sizes: string }[]) {
    const png = await request.get(icon.src);
    expect(png.status(), icon.src).toBe(200);
    expect((await png.body()).subarray(1, 4).toString("latin1")).toBe("PNG");
  }
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /favicon\.ico/);
});
