import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * A quality engineer places a signed hold on a lot (a wrong password first: refused, nothing placed), sees the units
 * that contain the lot, and releases the hold with a signature. Uses lot MM24-1203 (magnets, in 3 Wichita units), which
 * no other spec looks at.
 */
test("a quality engineer places a signed hold on a lot, sees the affected units, and releases it signed", async ({ page }) => {
  await signInWithPassword(page, USERS.qualityWichita.username);
  await page.getByRole("navigation", { name: "Areas" }).getByRole("link", { name: "Quality" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Holds" })).toBeVisible();
  await keepScreenshot(page, "quality-holds");

  const form = page.getByRole("form", { name: "Place a hold" });
  await expect(form.getByRole("button", { name: "Place hold and sign…" })).toBeEnabled();
  await form.getByLabel("Hold a").selectOption({ label: "Lot" });
  await form.getByLabel("Lot number").fill("MM24-1203");
  const reason = `Supplier notice: magnetisation out of spec (e2e ${Date.now()})`;
  await form.getByLabel("Reason for the hold").fill(reason);
  await form.getByRole("button", { name: "Place hold and sign…" }).click();

  const dialog = page.getByRole("dialog", { name: "Sign the hold" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Signing as ${USERS.qualityWichita.name}`);
  await expect(dialog.getByLabel("Meaning")).toHaveValue("hold");

  // a wrong password: refused in operator words, and no hold placed
  await dialog.getByLabel("Your password").fill("not-my-password");
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(dialog.getByText(/password is wrong: the record was not signed/)).toBeVisible();
  await keepScreenshot(page, "quality-hold-signature-refused");

  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();

  // the hold page: signed, the affected units listed with an exact total
  await expect(page.getByRole("heading", { level: 1, name: /Hold: MAG-1180-31 rev .+, lot MM24-1203/ })).toBeVisible();
  await expect(page.getByTestId("hold-reason")).toHaveText(reason);
  const record = page.getByRole("region", { name: "Hold record" });
  await expect(record.getByTestId("signature")).toHaveCount(1);
  await expect(record.getByTestId("signature")).toContainText(/Priya Raman — hold — \d{4}-\d\d-\d\d \d\d:\d\d \S+ \(America\/Chicago\)/);
  await expect(record.getByTestId("signature")).toContainText("Signature valid");
  // MM24-1203 went into 3 units directly (and so into whatever they went into since)
  await expect(page.getByRole("heading", { name: /^Affected units \(\d+\)$/ })).toBeVisible();
  const unitRows = page.getByRole("table", { name: "Affected units" }).getByRole("row");
  await expect(unitRows.nth(3)).toBeVisible();
  await keepScreenshot(page, "quality-hold-affected-units");

  // release, signed
  const release = page.getByRole("form", { name: "Release the hold" });
  await expect(release.getByRole("button", { name: "Release hold and sign…" })).toBeEnabled();
  await release.getByLabel("Reason for the release").fill("Retest of retained samples passed");
  await release.getByRole("button", { name: "Release hold and sign…" }).click();
  const releaseDialog = page.getByRole("dialog", { name: "Sign the release" });
  await expect(releaseDialog.getByLabel("Meaning")).toHaveValue("release");
  await releaseDialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await releaseDialog.getByRole("button", { name: "Sign", exact: true }).click();

  await expect(page.getByRole("heading", { level: 1 }).getByText("Released", { exact: true })).toBeVisible();
  await expect(record.getByTestId("signature")).toHaveCount(2);
  await expect(record.getByTestId("signature").nth(1)).toContainText(/Priya Raman — release — /);
  await expect(page.getByRole("form", { name: "Release the hold" })).toHaveCount(0);
  await keepScreenshot(page, "quality-hold-released");

  await page.getByRole("link", { name: "All holds" }).click();
  const released = page.getByRole("table", { name: "Released holds" });
  await expect(released.getByRole("row").filter({ hasText: reason })).toContainText("Retest of retained samples passed");
});
