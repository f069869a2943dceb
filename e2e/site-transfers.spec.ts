import { expect, test } from "@playwright/test";
import { USERS, keepScreenshot, signInWithBadge } from "./sign-in-helpers";

/*
 * A transfer between the demo plant's sites in the browser: the Wichita clerk ships a rod-end bearing serial
 * (MB-240112, in stores at WCH and used by no other spec) to Toulouse; the Toulouse clerk sees it on the way and
 * receives it by scanning its serial. Both tables say where it stands.
 */

test("the Wichita clerk ships a serial to Toulouse and the Toulouse clerk receives it by scan", async ({ page, browser }) => {
  await signInWithBadge(page, USERS.clerkWichita.badge);
  await page.goto("/kitting");
  await page.getByRole("link", { name: "Transfers between sites" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Transfers between sites" })).toBeVisible();
  const ship = page.getByRole("form", { name: "Ship to another site" });
  const toTls = await ship.locator("option", { hasText: "TLS" }).getAttribute("value");
  await ship.getByLabel("To site").selectOption(toTls!);
  await ship.getByLabel("Lot or serial (scan)").fill("MB-240112");
  await expect(ship.getByRole("button", { name: "Ship to site" })).toBeEnabled();
  await ship.getByRole("button", { name: "Ship to site" }).click();
  const shipped = page.getByRole("status").filter({ hasText: "shipped from ST-A01 to TLS" });
  await expect(shipped).toBeVisible();
  const number = /TR-[0-9A-F]{10}/.exec((await shipped.textContent()) ?? "")![0];
  const outgoing = page.getByRole("table", { name: "Transfers from this site" });
  await expect(outgoing.getByRole("row").filter({ hasText: number })).toContainText("In transit");
  await keepScreenshot(page, "site-transfer-shipped");

  const tlsContext = await browser.newContext();
  const tls = await tlsContext.newPage();
  await signInWithBadge(tls, USERS.clerkToulouse.badge);
  await tls.goto("/kitting/transfers");
  // the Toulouse clerk reads the page in the site's default language, French
  const incoming = tls.getByRole("table", { name: "Transferts vers ce site" });
  await expect(incoming.getByRole("row").filter({ hasText: number })).toContainText("En transit");
  const receive = tls.getByRole("form", { name: "Réceptionner depuis un autre site" });
  await receive.getByLabel("Scannez le transfert ou l’article").fill("MB-240112");
  await receive.getByRole("button", { name: "Réceptionner" }).click();
  await expect(tls.getByRole("status").filter({ hasText: `Transfert ${number} de WCH réceptionné` })).toBeVisible();
  await expect(incoming.getByRole("row").filter({ hasText: number })).toContainText("Réceptionné dans ST-A01");
  // scanning it again says it is already here, in the Toulouse clerk's language
  await receive.getByLabel("Scannez le transfert ou l’article").fill(number);
  await receive.getByRole("button", { name: "Réceptionner" }).click();
  await expect(tls.getByRole("status").filter({ hasText: "Ce transfert a déjà été réceptionné ici." })).toBeVisible();
  await keepScreenshot(tls, "site-transfer-received");
  await tlsContext.close();
});
