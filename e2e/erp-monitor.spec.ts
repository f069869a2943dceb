import { expect, test, type Page } from "@playwright/test";
import { USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/** Names unique to one test run, so tests stay independent when workers run in parallel. */
function uniqueToken(): string {
  return `E2E${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}

const WICHITA_PLANT = "1000";

function envelope(source: string, messageId: string, type: string, key: string, payload: unknown) {
  return { source, messageId, type, key, version: 1, plant: WICHITA_PLANT, occurredAt: new Date().toISOString(), payload };
}

const partPayload = (partNumber: string, description: string) => ({ partNumber, description, uom: "EA", tracking: "serial", revisions: [{ revision: "A" }] });

/** On the admin page: create a connection for plant 1000 -> Wichita and read its key (shown once). */
async function createConnection(page: Page, name: string, source: string): Promise<string> {
  await page.goto("/admin");
  const panel = page.getByRole("region", { name: "ERP connections" });
  const create = panel.getByRole("button", { name: "Create connection" });
  await expect(create).toBeEnabled();
  await panel.getByLabel("Name", { exact: true }).fill(name);
  await panel.getByLabel("Source (as in the ERP's messages)").fill(source);
  await panel.getByLabel("ERP plant code").fill(WICHITA_PLANT);
  await expect(panel.getByLabel("Site", { exact: true })).toHaveValue("WCH");
  await create.click();
  const keyField = panel.getByLabel("New API key");
  await expect(keyField).toBeVisible();
  await expect(panel.getByText("only this once")).toBeVisible();
  const apiKey = await keyField.inputValue();
  expect(apiKey).toMatch(/^tl_\S{40,}$/);
  // listed with the last characters of its key only
  const row = panel.getByRole("table", { name: "ERP connections" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`…${apiKey.slice(-4)}`);
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText(apiKey);
  return apiKey;
}

test.describe("ERP interface monitor", () => {
  test("an administrator connects an ERP, sees what its batch applied and what was rejected and why, and replays the fix", async ({ page, request }) => {
    const tok = uniqueToken();
    const name = `Test ERP ${tok}`;
    const source = `SAP-${tok}`;
    await signInWithPassword(page, USERS.adminWichita.username);
    const apiKey = await createConnection(page, name, source);
    await keepScreenshot(page, "erp-connection-created");

    // The ERP sends one good part and one BOM naming a component it has not sent yet.
    const response = await request.post("/api/erp/v1/messages", {
      headers: { Authorization: `Bearer ${apiKey}` },
      data: [
        envelope(source, `${tok}-part`, "part", `${tok}-ASSY`, partPayload(`${tok}-ASSY`, "Actuator sub-assembly, e2e")),
        envelope(source, `${tok}-bom`, "bom", `${tok}-ASSY/A`, {
          partNumber: `${tok}-ASSY`,
          revision: "A",
          lines: [{ findNumber: 10, partNumber: `${tok}-LATE`, revision: "A", quantity: "1", operationSeq: 10 }],
        }),
      ],
    });
    expect(response.status()).toBe(200);
    const { results } = (await response.json()) as { results: { status: string }[] };
    expect(results.map((r) => r.status)).toEqual(["applied", "rejected"]);

    // The monitor, searched for this test's messages: one applied, one rejected with the field and the reason.
    await page.goto("/erp");
    await page.getByLabel("Object key or message id").fill(tok);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`q=${tok}`));
    const table = page.getByRole("table", { name: "Inbound messages" });
    await expect(table.getByRole("row").filter({ hasText: tok })).toHaveCount(2);
    await expect(page.getByRole("navigation", { name: "Pages of messages" })).toContainText("1–2 of 2 messages");
    const applied = table.getByRole("row").filter({ hasText: `${tok}-part` });
    await expect(applied.getByText("Applied", { exact: true })).toBeVisible();
    const rejected = table.getByRole("row").filter({ hasText: `${tok}-bom` });
    await expect(rejected.getByText("Rejected", { exact: true })).toBeVisible();
    await expect(rejected.getByText("payload.lines.0.partNumber")).toBeVisible();
    await expect(rejected.getByText(`BOM line 10 names unknown part ${tok}-LATE revision A.`).first()).toBeVisible();
    await keepScreenshot(page, "erp-monitor");

    // Filter by status through its count.
    await page.getByRole("list", { name: "Inbound messages by status" }).getByRole("link", { name: /Rejected/ }).click();
    await expect(page).toHaveURL(/status=rejected/);
    await expect(table.getByRole("row").filter({ hasText: tok })).toHaveCount(1);

    // The rejected message: envelope, error and its history.
    await table.getByRole("link", { name: `${tok}-bom` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Message ${tok}-bom` })).toBeVisible();
    const outcome = page.getByRole("region", { name: "Why it was not applied" });
    await expect(outcome.getByText("payload.lines.0.partNumber")).toBeVisible();
    const history = page.getByRole("table", { name: "Message history" });
    await expect(history.getByRole("row")).toHaveCount(3); // header, received, rejected
    await expect(history.getByRole("row").nth(1)).toContainText("Received");
    await expect(history.getByRole("row").nth(2)).toContainText("Rejected");
    await expect(history.getByRole("row").nth(2)).toContainText(`unknown part ${tok}-LATE`);
    await expect(page.getByRole("region", { name: "Payload" }).locator("pre").first()).toContainText(`"partNumber": "${tok}-LATE"`);
    await keepScreenshot(page, "erp-message-rejected");

    // The missing part arrives; the administrator replays the BOM, which now applies.
    const late = await request.post("/api/erp/v1/messages", {
      headers: { Authorization: `Bearer ${apiKey}` },
      data: [envelope(source, `${tok}-late`, "part", `${tok}-LATE`, partPayload(`${tok}-LATE`, "Harness, e2e"))],
    });
    expect(late.status()).toBe(200);
    const replay = page.getByRole("button", { name: "Replay message" });
    await expect(replay).toBeEnabled();
    await replay.click();
    await expect(page.getByText("Replayed: the message is now applied.")).toBeVisible();
    await expect(history.getByRole("row")).toHaveCount(5);
    await expect(history.getByRole("row").nth(4)).toContainText("Applied");
    await expect(history.getByRole("row").nth(4)).toContainText(USERS.adminWichita.name);
    await expect(page.getByRole("button", { name: "Replay message" })).toHaveCount(0);
    await keepScreenshot(page, "erp-message-replayed");
  });

  test("a revoked key can no longer send messages", async ({ page, request }) => {
    const tok = uniqueToken();
    const name = `Revoked ERP ${tok}`;
    await signInWithPassword(page, USERS.adminWichita.username);
    const apiKey = await createConnection(page, name, `SAP-${tok}`);
    const panel = page.getByRole("region", { name: "ERP connections" });
    await panel.getByRole("button", { name: "I have stored the key" }).click();
    await expect(panel.getByLabel("New API key")).toHaveCount(0);

    await panel.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(panel.getByText(`Revoke key …${apiKey.slice(-4)}?`)).toBeVisible();
    await panel.getByRole("button", { name: "Yes, revoke key" }).click();
    const row = panel.getByRole("table", { name: "ERP connections" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("Revoked");
    await expect(row).toContainText(`by ${USERS.adminWichita.name}`);
    await keepScreenshot(page, "erp-connection-revoked");

    const refused = await request.post("/api/erp/v1/messages", {
      headers: { Authorization: `Bearer ${apiKey}` },
      data: [envelope(`SAP-${tok}`, `${tok}-part`, "part", `${tok}-P`, partPayload(`${tok}-P`, "Never applied"))],
    });
    expect(refused.status()).toBe(401);
  });

  test("a supervisor browses ERP master data: a part's BOM on every level with effectivity, read-only", async ({ page }) => {
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await page.goto("/erp/master-data");
    await page.getByLabel("Part number or description").fill("FCA-7740");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("table", { name: "Parts" }).getByRole("link", { name: "FCA-7740-100" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Part FCA-7740-100" })).toBeVisible();
    const bom = page.getByRole("table", { name: "Bill of materials, all levels" });
    const harness = bom.getByRole("row").filter({ hasText: "HAR-5521-01" });
    await expect(harness).toHaveCount(2);
    await expect(harness.first()).toContainText("ACT-1001 – ACT-1004");
    await expect(harness.nth(1)).toContainText("ACT-1005 – ACT-9999");
    // a second-level line (inside the servo-valve's torque motor)
    await expect(bom.getByRole("row").filter({ hasText: "CL-1180-20" })).toHaveCount(1);
    await expect(page.getByRole("button", { name: /Replay|Save|Edit/ })).toHaveCount(0);
    await keepScreenshot(page, "erp-master-data-part");
  });
});
