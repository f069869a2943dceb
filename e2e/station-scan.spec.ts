import { expect, test, type Page } from "@playwright/test";
import { USERS, keepScreenshot, signInWithBadge } from "./sign-in-helpers";
import { createFloorOrder, wedge, type FloorOrder } from "./floor-fixtures";

/*
 * Scan ergonomics at the operator's station, on a 1024 x 768 tablet, on a work order of its own at SV-01: a scanner's
 * burst after tapping Quantity lands in the scan field and is recorded; the quantity resets after each answer and is
 * pre-filled with what the line still needs; the field at fault is highlighted; the answer and Complete stay on screen;
 * distinct sounds for recorded and refused (switchable, remembered); a kit label shows the kit and installs from it.
 */
test.use({ viewport: { width: 1024, height: 768 } });

const sfx = `${Date.now().toString(36).toUpperCase()}S`;
let order: FloorOrder;

test.beforeAll(async () => {
  order = await createFloorOrder(sfx, 5);
});

/** Every Web Audio tone the page starts, by frequency (the cues are told apart by pitch). */
async function recordTones(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __tones: number[] };
    w.__tones = [];
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      const osc = create.call(this);
      const start = osc.start.bind(osc);
      osc.start = (when?: number) => {
        w.__tones.push(osc.frequency.value);
        start(when);
      };
      return osc;
    };
  });
}
const tones = (page: Page) => page.evaluate(() => (window as unknown as { __tones: number[] }).__tones.slice());
const clearTones = (page: Page) => page.evaluate(() => ((window as unknown as { __tones: number[] }).__tones.length = 0));

async function openUnit(page: Page, i: number) {
  await page.goto(`/station/${order.stationId}/units/${order.units[i]!.id}/operations/10`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Unit ${order.units[i]!.serial}`);
  await expect(page.getByRole("button", { name: "Install", exact: true })).toBeEnabled();
}

const answer = (page: Page) => page.getByRole("region", { name: "Answer" }).getByRole("status");

test.beforeEach(async ({ page }) => {
  await recordTones(page);
  await signInWithBadge(page, USERS.operatorWichita.badge);
});

test("a wedge scan after tapping Quantity lands in the scan field and is recorded; the quantity then resets", async ({ page }) => {
  await openUnit(page, 0);
  const scan = page.getByLabel("Scan serial, lot, part or kit");
  const quantity = page.getByLabel("Quantity", { exact: true });
  await expect(scan).toBeFocused();

  // the operator taps Quantity and types 0.1 (a person's pace), then scans the lot without tapping the scan field
  await quantity.click();
  await page.keyboard.type("0.1", { delay: 150 });
  await wedge(page, order.names.lot);

  await expect(answer(page)).toContainText(`Installed 0.1 ML of lot ${order.names.lot}`);
  await expect(quantity).toHaveValue("");
  await expect(scan).toHaveValue("");
  await expect(scan).toBeFocused();
  expect(await tones(page)).toContain(1320); // the recorded cue
  await keepScreenshot(page, "station-wedge-after-quantity");
});

test("a lot scanned without a quantity: the quantity is pre-filled with what the line needs, highlighted, and confirmed with Enter", async ({ page }) => {
  await openUnit(page, 1);
  const scan = page.getByLabel("Scan serial, lot, part or kit");
  const quantity = page.getByLabel("Quantity", { exact: true });
  await wedge(page, order.names.lot);
  await expect(answer(page)).toContainText(`How much of ${order.names.adhesive} goes in? 0.25 ML is still needed on this line`);
  await expect(answer(page)).toContainText("Check the pre-filled quantity and press Install.");
  await expect(quantity).toHaveValue("0.25");
  await expect(quantity).toHaveAttribute("aria-invalid", "true");
  await expect(scan).toHaveValue(order.names.lot);

  await scan.press("Enter");
  await expect(answer(page)).toContainText(`Installed 0.25 ML of lot ${order.names.lot}`);
  await expect(quantity).toHaveValue("");
  await expect(quantity).not.toHaveAttribute("aria-invalid", "true");
});

test("after a refusal the quantity resets, so the next serial is not refused for it; refused and recorded sound apart", async ({ page }) => {
  await openUnit(page, 2);
  const quantity = page.getByLabel("Quantity", { exact: true });
  await quantity.fill("0.25");
  await page.getByLabel("Scan serial, lot, part or kit").focus();
  await clearTones(page);
  await wedge(page, order.names.oldLot);
  const refused = answer(page);
  await expect(refused).toContainText(`Refused: Lot ${order.names.oldLot} is not usable: expired on`);
  await expect(refused).toContainText("Set it aside for quality and scan another lot.");
  await expect(quantity).toHaveValue("");
  expect(await tones(page)).toContain(196); // the refused cue
  expect(await tones(page)).not.toContain(1320);

  // the answer and Complete are on screen at 1024 x 768, without scrolling
  for (const target of [refused, page.getByRole("button", { name: "Complete operation 10" })]) {
    const box = await target.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(768);
  }
  await keepScreenshot(page, "station-refusal-1024x768");

  await clearTones(page);
  await wedge(page, order.names.pins[2]!);
  await expect(answer(page)).toContainText(`Installed serial ${order.names.pins[2]}`);
  expect(await tones(page)).toContain(1320);
  expect(await tones(page)).not.toContain(196);

  // a parameter out of its limits is highlighted at Complete
  await page.getByLabel("Torque (N·m)").fill("9");
  await page.getByRole("button", { name: "Complete operation 10" }).click();
  await expect(answer(page)).toContainText("Torque 9 N·m is outside its limits");
  await expect(page.getByLabel("Torque (N·m)")).toHaveAttribute("aria-invalid", "true");
});

test("the sound switch is remembered on the device", async ({ page }) => {
  await openUnit(page, 3);
  const toggle = page.getByRole("button", { name: "Sound" });
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await page.reload();
  await expect(page.getByRole("button", { name: "Sound" })).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByRole("button", { name: "Install", exact: true })).toBeEnabled();
  await clearTones(page);
  await wedge(page, `NOPE-${sfx}`);
  await expect(answer(page)).toContainText("Refused");
  expect(await tones(page)).toEqual([]);
  await page.getByRole("button", { name: "Sound" }).click();
  await expect(page.getByRole("button", { name: "Sound" })).toHaveAttribute("aria-pressed", "true");
});

test("a kit label at the station shows the kit's content for the unit and installs from it with a tap", async ({ page }) => {
  await openUnit(page, 4);
  await wedge(page, order.names.kit);
  await expect(answer(page)).toContainText(`is the label of kit ${order.names.kit}, not of a component`);
  const kit = page.getByRole("region", { name: `Kit ${order.names.kit}` });
  await expect(kit).toContainText(`for ${order.names.order}`);
  await expect(kit).toContainText("This unit still needs");
  await expect(kit).toContainText(order.names.lot);
  await keepScreenshot(page, "station-kit-scanned");

  await kit.getByRole("button", { name: `Install serial ${order.names.pins[4]}` }).click();
  await expect(answer(page)).toContainText(`Installed serial ${order.names.pins[4]}`);
  await kit.getByRole("button", { name: `Install 0.25 ML of lot ${order.names.lot}` }).click();
  await expect(answer(page)).toContainText(`Installed 0.25 ML of lot ${order.names.lot}`);
  await expect(kit).toContainText("Everything this kit brought for operation 10 of this unit is installed or not usable.");
  const installed = page.getByRole("table", { name: "Installed at this operation" });
  await expect(installed).toContainText(order.names.pins[4]!);
  await expect(installed).toContainText(order.names.lot);
});
