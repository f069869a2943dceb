import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { TOULOUSE, USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";

/*
 * The office screens in French: Toulouse's administrator and quality engineer (no language of their own: the site's
 * default, French) read the admin page, the qualifications and the tools in French, with dates in the French order;
 * input the server refuses at its edge (zod) reads in French too. Nothing of the English screens shows.
 */
test.use({ viewport: { width: 1280, height: 900 } });

const ADMIN_TOULOUSE = { username: "claire.petit", name: "Claire Petit" };

async function useSiteLanguage(usernames: string[]) {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql`update users set locale = null where username in ${sql(usernames)}`;
  } finally {
    await sql.end();
  }
}

test.beforeAll(async () => {
  await useSiteLanguage([ADMIN_TOULOUSE.username, USERS.qualityToulouse.username]);
});

test("the Toulouse administrator reads the admin page in French", async ({ page }) => {
  await signInWithPassword(page, ADMIN_TOULOUSE.username);
  await page.goto("/admin");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();

  const users = page.getByRole("table", { name: "Utilisateurs et rôles" });
  // (other rows name her too: she would sign their resets)
  await expect(users.getByRole("row").filter({ has: page.getByRole("cell", { name: ADMIN_TOULOUSE.name, exact: true }) })).toContainText("TLS : Administrateur");
  const create = page.getByRole("form", { name: "Créer un utilisateur" });
  await expect(create.getByLabel("Identifiant (connexion bureau)")).toBeVisible();
  await expect(create.getByRole("checkbox", { name: "Ingénieur qualité" })).toBeVisible();
  await expect(create.getByRole("button", { name: "Créer l’utilisateur" })).toBeEnabled();
  await expect(page.getByRole("form", { name: "Importer des badges" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Connexions ERP" })).toBeVisible();
  await expect(page.getByRole("heading", { name: `Emplacements de stockage à ${TOULOUSE}` })).toBeVisible();
  await expect(page.getByRole("table", { name: "Emplacements de stockage" })).toContainText("magasin");

  const main = page.getByRole("main");
  for (const english of ["Users and roles", "Create a user", "Import badges", "ERP connections", "Storage locations", "Roles per site"]) {
    await expect(main).not.toContainText(english);
  }
  await keepScreenshot(page, "admin-fr");
});

test("the Toulouse quality engineer reads qualifications and tools in French, and the server's input refusals too", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityToulouse.username);
  await page.goto("/quality/qualifications");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1, name: "Qualifications des opérateurs" })).toBeVisible();
  // the demo's Toulouse site has no skills defined yet: the page says what to do next, in French
  await expect(page.getByText("Aucune compétence définie pour l’instant")).toBeVisible();
  await expect(page.getByText("Définissez ci-dessous les compétences du site", { exact: false })).toBeVisible();
  await expect(page.getByRole("form", { name: "Définir une compétence" })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("Operator qualifications");
  await keepScreenshot(page, "qualifications-fr");

  await page.goto("/quality/tools");
  await expect(page.getByRole("heading", { level: 1, name: "Outils et instruments de mesure" })).toBeVisible();
  const search = page.getByRole("form", { name: "Utilisations d’un outil" });
  await search.getByLabel("Code de l’outil").fill("NOPE-404");
  await search.getByRole("button", { name: "Rechercher" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "NOPE-404" })).toHaveText(`L’outil NOPE-404 n’est pas dans le registre de ${TOULOUSE}.`);

  // input refused by the server's validation (zod): in French, per field
  const register = page.getByRole("form", { name: "Enregistrer un outil" });
  await expect(register.getByRole("button", { name: "Enregistrer l’outil" })).toBeEnabled();
  await register.getByRole("button", { name: "Enregistrer l’outil" }).click();
  await expect(register.getByRole("alert")).toContainText("Saisissez le code de l’outil.");
  await expect(register.getByRole("alert")).toContainText("Saisissez la classe d’outil.");
  await expect(register.getByRole("alert")).not.toContainText("Enter");
  await expect(page.getByRole("main")).not.toContainText("Tools and gauges");
  await keepScreenshot(page, "tools-fr");
});
