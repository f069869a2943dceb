import postgres from "postgres";
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e-database";
import { keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * The ERP area in French: Toulouse works in French (the site's default language), so its supervisor, who may open the
 * ERP interface and the reconciliation (server/api/areas.ts), reads the monitor, the confirmations, the order queues,
 * the master data (a part's multi-level BOM) and the reconciliation (a run started from the screen, its phase, the
 * exceptions and their filters) in French, with French dates; identifiers (part numbers, message ids) stay as they are.
 */
const SUPERVISOR_TOULOUSE = { username: "julien.bernard", name: "Julien Bernard" };
const FRENCH_DATE = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/;

test.beforeAll(async () => {
  // the site's default language, whatever another test chose for this user
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql`update users set locale = null where username = ${SUPERVISOR_TOULOUSE.username}`;
  } finally {
    await sql.end();
  }
});

test("a Toulouse supervisor reads the ERP interface and the reconciliation in French", async ({ page }) => {
  await signInWithPassword(page, SUPERVISOR_TOULOUSE.username);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");

  // Interface monitor
  await page.goto("/erp");
  await expect(page.getByRole("heading", { level: 1, name: "Interface ERP" })).toBeVisible();
  const tabs = page.getByRole("navigation", { name: "Vues de l’interface ERP" });
  await expect(tabs.getByRole("link", { name: "Suivi de l’interface" })).toHaveAttribute("aria-current", "page");
  await expect(tabs.getByRole("link", { name: "Rapprochement" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Messages reçus par statut" }).getByText("Appliqué", { exact: true })).toBeVisible();
  const inbox = page.getByRole("table", { name: "Messages reçus" });
  await expect(inbox.getByRole("columnheader", { name: "Identifiant du message" })).toBeVisible();
  await expect(inbox.getByRole("row").nth(1)).toContainText(FRENCH_DATE);
  await expect(page.getByRole("button", { name: "Appliquer les filtres" })).toBeVisible();
  await expect(page.getByText("Retard de livraison :")).toBeVisible();
  await expect(page.getByText("Inbound messages")).toHaveCount(0);
  await keepScreenshot(page, "erp-monitor-fr");

  // A message
  await inbox.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: /^Message / })).toBeVisible();
  await expect(page.getByRole("region", { name: "Enveloppe" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Historique du message" })).toBeVisible();

  // Confirmations, order queues
  await page.goto("/erp/confirmations");
  await expect(page.getByRole("region", { name: "Livraison" })).toBeVisible();
  await expect(page.getByLabel("Identifiant de message, OF, article, lot ou numéro de série")).toBeVisible();
  await page.goto("/erp/queues");
  await expect(page.getByRole("heading", { level: 1, name: "Files d’attente des ordres de fabrication" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Matière de fabricants non approuvés" })).toBeVisible();

  // Master data: a part and its BOM on every level
  await page.goto("/erp/master-data");
  await expect(page.getByRole("heading", { level: 1, name: "Données de base ERP" })).toBeVisible();
  await page.getByLabel("Référence ou désignation de l’article").fill("FCA-7740");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("table", { name: "Articles" }).getByRole("link", { name: "FCA-7740-100" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Article FCA-7740-100" })).toBeVisible();
  const bom = page.getByRole("table", { name: "Nomenclature, tous niveaux" });
  await expect(bom.getByRole("columnheader", { name: "Composant" })).toBeVisible();
  await expect(bom.getByRole("row").filter({ hasText: "HAR-5521-01" }).first()).toContainText("ACT-1001 – ACT-1004");
  await expect(page.getByRole("region", { name: "Fabricants approuvés (AML)" })).toBeVisible();
  await keepScreenshot(page, "erp-master-data-part-fr");
  await page.goto("/erp/master-data?view=routings");
  await expect(page.getByRole("region", { name: /^Gammes à / })).toBeVisible();

  // Reconciliation: a run started here follows its phase in French
  await page.goto("/erp/reconciliation");
  await expect(page.getByRole("region", { name: "Tendance" })).toBeVisible();
  const start = page.getByRole("button", { name: "Lancer le rapprochement maintenant" });
  await expect(start).toBeEnabled({ timeout: 60_000 });
  await start.click();
  const progress = page.getByRole("status").filter({ hasText: /Exécution \d+ :/ });
  await expect(progress).toContainText("terminée", { timeout: 60_000 });
  await expect(progress).toContainText("Terminé :");
  const runs = page.getByRole("table", { name: "Exécutions du rapprochement" });
  await expect(runs.getByRole("row").nth(1)).toContainText("à la demande");
  await expect(runs.getByRole("row").nth(1)).toContainText(FRENCH_DATE);
  await expect(page.getByText("Run reconciliation now")).toHaveCount(0);
  await keepScreenshot(page, "reconciliation-fr");

  // Exceptions and their filters
  await page.goto("/erp/reconciliation/exceptions");
  await expect(page.getByRole("region", { name: "Écarts" })).toBeVisible();
  await expect(page.getByLabel("Catégorie").locator("option", { hasText: "Mouvement non confirmé" })).toHaveCount(1);
  await expect(page.getByLabel("Rôle responsable").locator("option", { hasText: "chef d’équipe" })).toHaveCount(1);
  await page.goto("/erp/reconciliation/exceptions?category=nonsense");
  await expect(page.getByRole("alert").filter({ hasText: "nonsense" })).toContainText("« nonsense » n’est pas une catégorie");
});
