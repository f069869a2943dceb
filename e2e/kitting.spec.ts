import { expect, test } from "@playwright/test";
import { USERS, keepScreenshot, signInWithBadge } from "./sign-in-helpers";

/*
 * A kitting clerk builds a kit by scanning, is refused an expired lot with its reason, issues the kit, and the station
 * shows it. Uses op 30 of WO-100234 issued to FA-02, which no other spec looks at (sign-in.spec.ts reads FA-01).
 */
test("a clerk builds a kit by scanning, sees the expired lot refused, issues it, and the station shows it", async ({ page, browser }) => {
  await signInWithBadge(page, USERS.clerkWichita.badge);
  await page.goto("/kitting");
  await expect(page.getByRole("heading", { level: 1, name: "Kitting" })).toBeVisible();
  await keepScreenshot(page, "kitting-work-orders");

  await page.getByRole("link", { name: "WO-100234" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Work order WO-100234/ })).toBeVisible();
  const form = page.getByRole("form", { name: "Create a kit" });
  await expect(form.getByRole("button", { name: "Create kit" })).toBeEnabled();
  await form.getByLabel("Kit for").selectOption({ label: "One operation" });
  await form.getByLabel("Operation").selectOption({ label: "Op 30" });
  await form.getByLabel("Deliver to station").selectOption({ label: "FA-02 · Final assembly station 2" });
  await keepScreenshot(page, "kitting-create-kit");
  await form.getByRole("button", { name: "Create kit" }).click();

  await expect(page.getByRole("heading", { level: 1, name: /Kit K-WO-100234-\d+/ })).toBeVisible();
  const kitNumber = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Kit", "").trim();
  const pickList = page.getByRole("table", { name: "Pick list" });
  const sealantRow = pickList.getByRole("row").filter({ hasText: "PR-1422-B2" });
  await expect(sealantRow.getByText(/^Lot AC24-0331 is not usable: expired on \d{4}-\d{2}-\d{2}\.$/)).toBeVisible();

  const scan = page.getByLabel("Scan lot, serial or part");
  const record = page.getByRole("button", { name: "Record pick" });
  await expect(record).toBeEnabled();
  await expect(scan).toBeFocused();

  // the expired lot: refused with its reason and what to do
  await scan.fill("AC24-0331");
  await page.getByLabel("Quantity").fill("50");
  await record.click();
  const refused = page.getByRole("status").filter({ hasText: "Refused" });
  await expect(refused).toContainText("Lot AC24-0331 is not usable: expired on");
  await expect(refused).toContainText("scan a suggested lot");
  await expect(scan).toBeFocused();
  await keepScreenshot(page, "kitting-refused-expired-lot");

  // the suggested lot, then four harness serials of rev B (scanned as typed numbers, one per scan)
  await page.getByLabel("Quantity").fill("");
  await scan.fill("AC24-0519");
  await record.click();
  await expect(page.getByRole("status").filter({ hasText: "Recorded" })).toContainText("lot AC24-0519");
  for (const serial of ["NI-B-0102", "NI-B-0103", "NI-B-0104", "NI-B-0105"]) {
    await expect(scan).toBeFocused();
    await scan.fill(serial);
    await record.click();
    await expect(page.getByRole("status").filter({ hasText: "Recorded" })).toContainText(`serial ${serial}`);
  }
  await expect(page.getByRole("table", { name: "Picks" }).getByRole("row")).toHaveCount(6);
  await keepScreenshot(page, "kitting-kit-picked");

  const issue = page.getByRole("form", { name: "Issue the kit" });
  await expect(issue.getByRole("button", { name: "Issue kit" })).toBeEnabled();
  await issue.getByRole("button", { name: "Issue kit" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Kit ${kitNumber} issued to FA-02` }).first()).toBeVisible();

  await page.getByRole("link", { name: "Kit label" }).click();
  await expect(page.getByRole("img", { name: `Data Matrix of kit number ${kitNumber}` })).toBeVisible();
  await expect(page.getByLabel("ZPL", { exact: true })).toContainText(`^FD${kitNumber}^FS`);
  await expect(page.getByRole("region", { name: "Kit label" })).toContainText("Lot AC24-0519");
  await keepScreenshot(page, "kitting-kit-label");

  // the operator at FA-02 sees the kit staged there, for its work order
  const operator = await browser.newContext();
  const station = await operator.newPage();
  await signInWithBadge(station, USERS.operatorWichita.badge);
  await station.getByRole("link", { name: /^Station FA-02/ }).click();
  const staged = station.getByRole("region", { name: `Kit ${kitNumber}` });
  await expect(staged).toContainText("for WO-100234");
  await expect(staged.getByRole("row").filter({ hasText: "PR-1422-B2" })).toContainText("50");
  await expect(staged.getByRole("row").filter({ hasText: "HAR-5521-01" })).toContainText("4");
  await keepScreenshot(station, "station-kits-staged");
  await operator.close();
});
