import { expect, test } from "@playwright/test";
import { USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * Recall at Wichita: a quality engineer searches the coil lot MM24-1187, sees its where-used reach the top-level unit
 * ACT-1001 (through TM-5001 and SV-3001) with its status and location, opens ACT-1001's as-built, and switches to the
 * graph view. Read-only: it changes no data other specs look at.
 */
test("a quality engineer traces lot MM24-1187 to ACT-1001 and opens its as-built and graph", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy");
  await expect(page.getByRole("heading", { level: 1, name: "Genealogy" })).toBeVisible();

  await page.getByLabel("Search or scan").fill("MM24-1187");
  await page.getByRole("button", { name: "Search" }).click();
  const results = page.getByRole("table", { name: "Search results" });
  const lotRow = results.getByRole("row").filter({ hasText: "MM24-1187" }).filter({ hasText: "Lot" }).first();
  await expect(lotRow).toBeVisible();
  await keepScreenshot(page, "genealogy-search");

  await lotRow.getByRole("link", { name: "Where-used of MM24-1187" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Where-used of lot MM24-1187" })).toBeVisible();
  const units = page.getByRole("table", { name: "Units containing MM24-1187" });
  const top = units.getByRole("row").filter({ has: page.getByRole("link", { name: "As-built of ACT-1001" }) });
  await expect(top).toBeVisible();
  await expect(top).toContainText("top level");
  await expect(top).toContainText("Completed");
  await expect(top).toContainText("In stock at");
  await expect(top).toContainText(/TM-5001 → SV-3001 → ACT-1001/);
  await expect(page.getByRole("navigation", { name: "Pages of units" })).toContainText(/of \d+ units/);
  await keepScreenshot(page, "genealogy-where-used");

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Graph" }).click();
  await expect(page.getByRole("img", { name: "Where-used graph of MM24-1187" }).getByRole("link", { name: "ACT-1001: open its as-built" })).toBeVisible();
  await keepScreenshot(page, "genealogy-where-used-graph");
  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Table" }).click();

  await top.getByRole("link", { name: "As-built of ACT-1001" }).click();
  await expect(page.getByRole("heading", { name: "As-built of ACT-1001" })).toBeVisible();
  const tree = page.getByRole("table", { name: "As-built components" });
  await expect(tree.getByRole("link", { name: "SV-3001", exact: true })).toBeVisible();
  await expect(tree.getByRole("link", { name: "TM-5001", exact: true })).toBeVisible();
  await expect(tree.getByText("lot MM24-1187")).toBeVisible();
  await keepScreenshot(page, "genealogy-as-built");

  // as it was long before it was built: nothing installed yet
  await page.getByLabel(/As it was at/).fill("2020-01-01T08:00");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("Nothing was installed in this serial at that time")).toBeVisible();
  await page.getByRole("link", { name: "Back to now" }).click();
  await expect(tree.getByRole("link", { name: "SV-3001", exact: true })).toBeVisible();

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Graph" }).click();
  const graph = page.getByRole("img", { name: "As-built graph of ACT-1001" });
  await expect(graph).toBeVisible();
  await expect(graph.getByRole("link", { name: "SV-3001: open its as-built" })).toBeVisible();
  await keepScreenshot(page, "genealogy-as-built-graph");

  await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "As-designed vs as-built" }).click();
  await expect(page.getByRole("region", { name: "Design of ACT-1001" })).toBeVisible();
  await keepScreenshot(page, "genealogy-as-designed");
});

test("an unknown identifier gets close matches, not an error page", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.goto("/genealogy?q=MM24-11");
  await expect(page.getByRole("heading", { name: 'Nothing at Wichita Actuation Plant matches "MM24-11"' })).toBeVisible();
  await expect(page.getByRole("link", { name: "MM24-1187" })).toBeVisible();
});
