import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { TOULOUSE, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * Localisation of kitting and genealogy: Toulouse works in French (the site's default language), so its kitting clerk
 * reads the kitting screens (work orders, a work order's kits and bill of materials, stock moves) in French, and its
 * quality engineer the genealogy screens (search, as-built, where-used). Identifiers stay as they are.
 */
test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql`update users set locale = null where badge_id = ${USERS.clerkToulouse.badge} or username = ${USERS.qualityToulouse.username}`;
  } finally {
    await sql.end();
  }
});

test("a Toulouse kitting clerk reads the kitting screens in French", async ({ page }) => {
  await signInWithBadge(page, USERS.clerkToulouse.badge);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.goto("/kitting");
  await expect(page.getByRole("heading", { name: "OF par date d’échéance" })).toBeVisible();
  const orders = page.getByRole("table", { name: "OF ouverts" });
  await expect(orders.getByRole("columnheader", { name: "Échéance" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Emplacements de matière" })).toBeVisible();
  await keepScreenshot(page, "kitting-fr");

  await orders.getByRole("link", { name: "WO-200101" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "OF WO-200101" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nomenclature (figée au lancement)" })).toBeVisible();
  const create = page.getByRole("form", { name: "Créer un kit" });
  await expect(create.getByLabel("Kit pour")).toBeVisible();
  await expect(create.getByRole("button", { name: "Créer le kit" })).toBeVisible();
  await expect(page.getByText("Create a kit")).toHaveCount(0);

  await page.goto("/kitting/stock-moves");
  await expect(page.getByRole("heading", { level: 1, name: "Mouvements de stock" })).toBeVisible();
  await expect(page.getByText("Choisissez un poste ou un emplacement", { exact: true })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Postes" })).toBeVisible();
});

test("a Toulouse quality engineer reads the genealogy screens in French", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityToulouse.username);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.goto("/genealogy");
  await expect(page.getByRole("heading", { level: 1, name: "Traçabilité" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Derniers montages" })).toBeVisible();

  await page.getByLabel("Rechercher ou scanner").fill("ACT-2001");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByRole("heading", { name: /résultats? pour « ACT-2001 »/ })).toBeVisible();
  await page.getByRole("table", { name: "Résultats de la recherche" }).getByRole("link", { name: "As-built" }).first().click();
  await expect(page.getByRole("heading", { name: "As-built de ACT-2001" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^Maintenant : \d+ composants? montés?/ })).toBeVisible();
  const components = page.getByRole("table", { name: "Composants as-built" });
  await expect(components.getByRole("columnheader", { name: "Opérateur" })).toBeVisible();
  await keepScreenshot(page, "genealogy-fr");

  await page.getByRole("link", { name: "Où ce numéro de série est-il monté ?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cas d’emploi du numéro de série ACT-2001" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Filtrer les unités" })).toContainText("Toutes les unités, passées et actuelles");

  await page.goto("/genealogy?q=ZZ-NO-SUCH-THING");
  await expect(page.getByRole("heading", { name: `Rien sur le site ${TOULOUSE} ne correspond à « ZZ-NO-SUCH-THING »` })).toBeVisible();
});
