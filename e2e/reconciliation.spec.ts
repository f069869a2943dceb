import { expect, test, type Page } from "@playwright/test";
import { USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * Reconciliation, end to end: an ERP sends a stock snapshot naming a lot the floor never had; a supervisor runs the
 * reconciliation from the screen and follows its progress; the difference is an exception (category, owner, both
 * quantities); it is accepted with a reason and leaves the open list.
 */

const WICHITA_PLANT = "1000";
const token = () => `E2E${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

async function createConnection(page: Page, name: string, source: string): Promise<string> {
  await page.goto("/admin");
  const panel = page.getByRole("region", { name: "ERP connections" });
  const create = panel.getByRole("button", { name: "Create connection" });
  await expect(create).toBeEnabled();
  await panel.getByLabel("Name", { exact: true }).fill(name);
  await panel.getByLabel("Source (as in the ERP's messages)").fill(source);
  await panel.getByLabel("ERP plant code").fill(WICHITA_PLANT);
  await create.click();
  const keyField = panel.getByLabel("New API key");
  await expect(keyField).toBeVisible();
  return keyField.inputValue();
}

test("run a reconciliation from the screen, find the exception, accept it with a reason", async ({ page, request }) => {
  const tok = token();
  await signInWithPassword(page, USERS.adminWichita.username);
  const apiKey = await createConnection(page, `Recon ERP ${tok}`, `SAP-${tok}`);

  // No run in progress (the daily run may be under way when the server has just started).
  await page.goto("/erp/reconciliation");
  const start = page.getByRole("button", { name: "Run reconciliation now" });
  await expect(start).toBeEnabled({ timeout: 60_000 });

  const lot = `${tok}-LOT`;
  const sent = await request.post("/api/erp/v1/messages", {
    headers: { Authorization: `Bearer ${apiKey}` },
    data: [
      {
        source: `SAP-${tok}`,
        messageId: `${tok}-stock`,
        type: "stock_snapshot",
        key: `STOCK-${tok}`,
        version: 1,
        plant: WICHITA_PLANT,
        occurredAt: new Date().toISOString(),
        payload: { takenAt: new Date().toISOString(), lines: [{ partNumber: "PR-1422-B2", revision: "-", lotNumber: lot, quantity: "7" }] },
      },
    ],
  });
  expect(sent.status()).toBe(200);
  expect(((await sent.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(["applied"]);

  await page.reload();
  await expect(start).toBeEnabled();
  await start.click();
  const progress = page.getByRole("status").filter({ hasText: /Run \d+:/ });
  await expect(progress).toContainText(/completed/, { timeout: 60_000 });
  await expect(page.getByRole("table", { name: "Reconciliation runs" })).toContainText(`STOCK-${tok}`);
  await keepScreenshot(page, "reconciliation-runs");

  // The exception, found with the filters (kept in the URL)
  await page.goto("/erp/reconciliation/exceptions");
  await page.getByLabel("Category").selectOption("unknown");
  await page.getByLabel("Part number starts with").fill("PR-1422");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/category=unknown/);
  await expect(page).toHaveURL(/part=PR-1422/);
  const row = page.getByRole("table", { name: "Reconciliation exceptions" }).getByRole("row").filter({ hasText: lot });
  await expect(row).toContainText("Unknown");
  await expect(row).toContainText("Traceline / supervisor");
  await expect(row).toContainText("7");
  await keepScreenshot(page, "reconciliation-exceptions");
  await row.getByRole("link").first().click();

  await expect(page.getByRole("heading", { name: /^Exception RX-\d+$/ })).toBeVisible();
  await expect(page.getByText("No movement of this item here")).toBeVisible();
  await page.getByLabel("Accept the difference").check();
  await page.getByLabel("Reason").fill("Test lot booked in ERP by mistake; ERP will delete it");
  const submit = page.getByRole("button", { name: "Accept the difference" });
  await expect(submit).toBeEnabled();
  await submit.click();
  // the page re-renders with the exception closed (the form and its passing "Accepted" answer go): the lasting state
  await expect(page.getByText("accepted (accepted)")).toBeVisible();
  await keepScreenshot(page, "reconciliation-exception-accepted");

  // No longer among the open ones
  await page.goto(`/erp/reconciliation/exceptions?category=unknown&part=PR-1422`);
  await expect(page.getByRole("table", { name: "Reconciliation exceptions" }).getByRole("row").filter({ hasText: lot })).toHaveCount(0);
});
