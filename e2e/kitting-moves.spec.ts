import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, USERS, keepScreenshot, signInWithBadge, signInWithPassword } from "./sign-in-helpers";

/*
 * The kitting issue's last paths in the browser: quality restricts a BOM line to one lot and the clerk's pick list then
 * suggests only that lot; the clerk returns held material from a station's point of use to stores (a transfer of it to
 * another station is refused with the hold's reason). Uses the O-ring line (find 60, op 20) of WO-100234 and the held
 * bracket lot KP24-0877 at FA-02, which no other spec changes; the restriction is lifted again at the end.
 */
const QUALITY_WICHITA = { username: "priya.raman", name: "Priya Raman" };

test("a quality engineer restricts a line to one lot and the clerk then sees only that lot suggested", async ({ page, browser }) => {
  await signInWithPassword(page, QUALITY_WICHITA.username);
  // the lists are reached from the quality engineer's navigation
  await page.getByRole("navigation", { name: "Areas" }).getByRole("link", { name: "Allowed lots" }).click();
  await page.getByRole("link", { name: "WO-100234" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Work order WO-100234/ })).toBeVisible();
  // quality keeps the list; it cannot create kits here
  await expect(page.getByRole("form", { name: "Create a kit" })).toHaveCount(0);
  const add = page.getByRole("form", { name: "Add an allowed lot" });
  await expect(add.getByLabel("Lot number or scan")).toBeVisible();
  await add.getByLabel("Lot number or scan").fill("SE24-3420");
  await add.getByLabel("For BOM line").selectOption({ label: "Find 60 · M83248/1-214 rev - · op 20" });
  await add.getByLabel("Reason").fill("MRB 24-140: O-rings of one cure batch only");
  await expect(add.getByRole("button", { name: "Add and sign…" })).toBeEnabled();
  await add.getByRole("button", { name: "Add and sign…" }).click();
  // a rule change is signed (issue 19, Must 5): re-authentication, meaning "approval"
  const signAdd = page.getByRole("dialog", { name: "Sign the allowed lot SE24-3420" });
  await expect(signAdd.getByLabel("Meaning")).toHaveValue("approval");
  await signAdd.getByLabel("Your password").fill(DEMO_PASSWORD);
  await signAdd.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Lot SE24-3420 added to the allowed lots for Find 60" })).toBeVisible();
  const list = page.getByRole("table", { name: "Allowed lots" });
  await expect(list.getByRole("row").filter({ hasText: "SE24-3420" })).toContainText("MRB 24-140");
  await expect(list.getByRole("row").filter({ hasText: "SE24-3420" }).getByTestId("signature")).toContainText(`${QUALITY_WICHITA.name} — approval`);
  await expect(list.getByRole("row").filter({ hasText: "SE24-3420" }).getByTestId("signature")).toContainText("Signature valid");
  await keepScreenshot(page, "kitting-allowed-lots-quality");

  // the clerk sees the list read-only and builds an op-20 kit: only the listed lot is suggested for the O-rings
  const clerkContext = await browser.newContext();
  const clerk = await clerkContext.newPage();
  await signInWithBadge(clerk, USERS.clerkWichita.badge);
  await clerk.goto("/kitting");
  await clerk.getByRole("link", { name: "WO-100234" }).click();
  const readOnly = clerk.getByRole("table", { name: "Allowed lots" });
  await expect(readOnly.getByRole("row").filter({ hasText: "SE24-3420" })).toBeVisible();
  await expect(clerk.getByRole("button", { name: /Remove lot/ })).toHaveCount(0);
  await expect(clerk.getByRole("form", { name: "Add an allowed lot" })).toHaveCount(0);
  const form = clerk.getByRole("form", { name: "Create a kit" });
  await expect(form.getByRole("button", { name: "Create kit" })).toBeEnabled();
  await form.getByLabel("Kit for").selectOption({ label: "One operation" });
  await form.getByLabel("Operation").selectOption({ label: "Op 20" });
  await form.getByLabel("Deliver to station").selectOption({ label: "FA-02 · Final assembly station 2" });
  await form.getByRole("button", { name: "Create kit" }).click();
  await expect(clerk.getByRole("heading", { level: 1, name: /Kit K-WO-100234-\d+/ })).toBeVisible();
  const oRings = clerk.getByRole("table", { name: "Pick list" }).getByRole("row").filter({ hasText: "M83248/1-214" });
  const suggested = oRings.getByRole("cell").nth(4);
  await expect(suggested.getByRole("listitem")).toHaveCount(1);
  await expect(suggested).toContainText("SE24-3420");
  await expect(oRings.getByRole("cell").nth(5)).toContainText("Lot DS24-7712 is not usable: not on the allowed-lot list quality set for this work order.");
  await keepScreenshot(clerk, "kitting-allowed-lot-suggested");
  await clerkContext.close();

  // quality lifts the restriction again, with a reason
  await page.getByRole("button", { name: "Remove lot SE24-3420" }).click();
  const remove = page.getByRole("form", { name: "Remove lot SE24-3420" });
  await remove.getByLabel("Why it is lifted").fill("MRB 24-140 closed");
  await remove.getByRole("button", { name: "Remove and sign…" }).click();
  const signRemove = page.getByRole("dialog", { name: "Sign the removal of lot SE24-3420" });
  await signRemove.getByLabel("Your password").fill(DEMO_PASSWORD);
  await signRemove.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Lot SE24-3420 removed from the allowed lots" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Allowed lots" })).toHaveCount(0);
});

test("a clerk returns held material from a station's point of use to stores; a transfer of it is refused", async ({ page }) => {
  await signInWithBadge(page, USERS.clerkWichita.badge);
  await page.goto("/kitting");
  await page.getByRole("link", { name: "Stock moves" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Stock moves" })).toBeVisible();
  await page.getByRole("navigation", { name: "Stations" }).getByRole("link", { name: "FA-02", exact: true }).click();
  const stock = page.getByRole("table", { name: "Material at FA-02" });
  const heldRow = stock.getByRole("row").filter({ hasText: "KP24-0877" });
  await expect(heldRow).toContainText("Not usable: on quality hold");
  const before = Number(((await heldRow.getByRole("cell").nth(2).textContent()) ?? "").replace(/[^\d.]/g, ""));
  expect(before).toBeGreaterThan(0);

  // scan the lot: the form selects it
  const find = page.getByRole("button", { name: "Find" });
  await page.getByLabel("Scan lot, serial or part").fill("KP24-0877");
  await expect(find).toBeEnabled();
  await find.click();
  await expect(page.getByRole("status").filter({ hasText: "Found BKT-4410-07 rev A lot KP24-0877 at FA-02" })).toBeVisible();
  const move = page.getByRole("form", { name: "Move material" });
  await expect(move.getByLabel("Material")).toHaveValue(/.+/);
  await expect(move.getByLabel("Material").locator("option:checked")).toContainText("lot KP24-0877");
  await move.getByLabel(/^Quantity/).fill("1");
  await move.getByLabel("Reason").fill("Held by quality: back to stores for MRB");

  // to another station: refused with the hold's reason
  await move.getByLabel("Move to").selectOption({ label: "FA-01 · Final assembly station 1" });
  await move.getByRole("button", { name: "Transfer to station" }).click();
  const refused = page.getByRole("status").filter({ hasText: "Refused" });
  await expect(refused).toContainText("Lot KP24-0877 is not usable: on quality hold");
  await expect(refused).toContainText("Return it to stores");
  await keepScreenshot(page, "kitting-transfer-held-refused");

  // back to stores: recorded, and the station has one less
  await move.getByLabel("Move to").selectOption({ label: "ST-A01 · Stores aisle A, bin 01" });
  await move.getByRole("button", { name: "Return to stores" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Returned 1" })).toContainText("lot KP24-0877 from POU-FA-02 to ST-A01");
  await expect(heldRow.getByRole("cell").nth(2)).toContainText(String(before - 1));
  await keepScreenshot(page, "kitting-return-to-stores");
});
