import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { USERS, signInWithBadge } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";
import { createFloorOrder, TOULOUSE_FA21, type FloorOrder } from "./floor-fixtures";

/*
 * Localisation: Toulouse works in French (the site's default language), so a Toulouse operator who chose no language
 * gets the station, its refusal and its one next step in French; the refusal's code is unchanged. A user's own choice
 * (the Language menu in the header) is kept on the user: it survives signing out and in again. The page's lang
 * attribute follows (screen readers pronounce the text in its language).
 */
test.use({ viewport: { width: 1024, height: 768 } });

const sfx = `${Date.now().toString(36).toUpperCase()}F`;
let order: FloorOrder;

async function resetLanguage(badge: string) {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql`update users set locale = null where badge_id = ${badge}`;
  } finally {
    await sql.end();
  }
}

// the language-choice test changes its user's language: a Wichita operator of its own (the demo's operators sign in in
// other specs running at the same time, which would read the pages in French meanwhile)
const chooser = { badge: `L${sfx}`, name: `Language Chooser ${sfx}` };

test.beforeAll(async () => {
  order = await createFloorOrder(sfx, 1, TOULOUSE_FA21);
  await resetLanguage(USERS.operatorToulouse.badge);
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const [maria] = await sql<{ pin_hash: string }[]>`select pin_hash from users where badge_id = ${USERS.operatorWichita.badge}`;
    const [user] = await sql<{ id: string }[]>`insert into users (username, display_name, badge_id, pin_hash) values (${`e2e.lang.${sfx.toLowerCase()}`}, ${chooser.name}, ${chooser.badge}, ${maria!.pin_hash}) returning id`;
    await sql`insert into user_site_roles (user_id, site_id, role) select ${user!.id}, id, 'operator' from sites where code = 'WCH'`;
  } finally {
    await sql.end();
  }
});

const answer = (page: Page) => page.getByRole("region", { name: "Réponse" }).getByRole("status");

test("a French operator's refusal at the station is in French, with its one next step", async ({ page }) => {
  await signInWithBadge(page, USERS.operatorToulouse.badge);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");

  await page.goto(`/station/${order.stationId}/units/${order.units[0]!.id}/operations/10`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unité ${order.units[0]!.serial}`);
  await expect(page.getByRole("button", { name: "Monter", exact: true })).toBeEnabled();
  const refusal = page.waitForResponse((r) => r.url().includes("station.consumeComponent"));
  await page.getByLabel("Quantité", { exact: true }).fill("0.25");
  const scan = page.getByLabel("Scannez numéro de série, lot, article ou kit");
  await scan.fill(order.names.oldLot);
  await scan.press("Enter");

  await expect(answer(page)).toContainText(`Refusé : Le lot ${order.names.oldLot} est inutilisable : périmé depuis le`);
  await expect(answer(page)).toContainText("Mettez-le de côté pour la qualité et scannez un autre lot.");
  await expect(answer(page)).not.toContainText("not usable");
  // the machine-readable code is the same in every language
  expect(JSON.stringify(await (await refusal).json())).toContain('"code":"LOT_EXPIRED"');
  // and the page around it is French too
  await expect(page.getByRole("button", { name: "Terminer l’opération 10" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Approvisionné à ce poste" })).toBeVisible();
});

test("the language a user chooses is kept across sign-out and sign-in; the site's default otherwise", async ({ page }) => {
  await signInWithBadge(page, chooser.badge);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Home" })).toBeVisible();

  await page.getByLabel("Language").selectOption("fr");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("link", { name: "Accueil" })).toBeVisible();

  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in");
  await signInWithBadge(page, chooser.badge);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("link", { name: "Accueil" })).toBeVisible();

  // back to the site's default (Wichita: English)
  await page.getByLabel("Langue").selectOption("site");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Home" })).toBeVisible();
});
