import AxeBuilder from "@axe-core/playwright";
import postgres from "postgres";
import { expect, test, type Page } from "@playwright/test";
import { USERS, signInWithBadge, signInWithPassword } from "./sign-in-helpers";
import { e2eDatabaseUrl } from "./e2e-database";
import { createFloorOrder, type FloorOrder } from "./floor-fixtures";

/*
 * Every floor page (station, kitting, WIP board) on a 1024 x 768 tablet: an axe-core scan (WCAG 2.0-2.2 A and AA rules)
 * with no serious or critical violation, body text of at least 18 px, and every control at least 48 px high (gloved
 * hands). Each page is signed in as the role that works there, so its forms are on screen.
 */
test.use({ viewport: { width: 1024, height: 768 } });

const sfx = `${Date.now().toString(36).toUpperCase()}A`;
let order: FloorOrder;
let workOrder100234: string;

test.beforeAll(async () => {
  order = await createFloorOrder(sfx, 1);
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const [wo] = await sql<{ id: string }[]>`select id from work_orders where number = 'WO-100234'`;
    workOrder100234 = wo!.id;
  } finally {
    await sql.end();
  }
});

/** Serious and critical axe violations of the page as it is now, with where they are. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

/** Visible text in the page's main area set below 18 px, and controls lower than 48 px (inline links in a sentence excepted). */
async function touchProblems(page: Page) {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    if (!main) return { smallText: ["no main"], smallTargets: [] as string[] };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && style.visibility !== "hidden" && style.display !== "none" && !el.closest(".sr-only, [aria-hidden='true']");
    };
    const describe = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
    const smallText: string[] = [];
    for (const el of main.querySelectorAll("*")) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
      if (!ownText || !visible(el)) continue;
      const px = Number.parseFloat(getComputedStyle(el).fontSize);
      if (px < 17.95) smallText.push(`${describe(el)} at ${px}px`);
    }
    const smallTargets: string[] = [];
    for (const el of main.querySelectorAll("button, a[href], select, input:not([type='checkbox']):not([type='radio']):not([type='hidden']), [role='button']")) {
      if (!visible(el)) continue;
      if (el.tagName === "A" && getComputedStyle(el).display === "inline") continue;
      const h = el.getBoundingClientRect().height;
      if (h < 47.5) smallTargets.push(`${describe(el)} ${Math.round(h)}px high`);
    }
    return { smallText: smallText.slice(0, 15), smallTargets: smallTargets.slice(0, 15) };
  });
}

async function expectFloorPage(page: Page, path: string, ready: (p: Page) => Promise<void>) {
  await page.goto(path);
  await ready(page);
  expect(await seriousViolations(page), `axe on ${path}`).toEqual([]);
  expect(await touchProblems(page), `text and targets on ${path}`).toEqual({ smallText: [], smallTargets: [] });
}

const heading = (p: Page) => expect(p.getByRole("heading", { level: 1 })).toBeVisible();

test("station pages, as the operator works them (a refusal and a kit on screen too)", async ({ page }) => {
  await signInWithBadge(page, USERS.operatorWichita.badge);
  await expectFloorPage(page, "/station", heading);
  await expectFloorPage(page, `/station/${order.stationId}`, heading);
  const unitPage = `/station/${order.stationId}/units/${order.units[0]!.id}/operations/10`;
  await expectFloorPage(page, unitPage, async (p) => {
    await expect(p.getByRole("button", { name: "Install", exact: true })).toBeEnabled();
  });
  // with an answer and a kit's content on screen
  const scan = page.getByLabel("Scan serial, lot, part or kit");
  await scan.fill(order.names.oldLot);
  await scan.press("Enter");
  await expect(page.getByRole("region", { name: "Answer" })).toContainText("Refused");
  await scan.fill(order.names.kit);
  await scan.press("Enter");
  await expect(page.getByRole("region", { name: `Kit ${order.names.kit}` })).toContainText("This unit still needs");
  expect(await seriousViolations(page), "axe with a refusal and a kit shown").toEqual([]);
  expect(await touchProblems(page)).toEqual({ smallText: [], smallTargets: [] });
});

test("kitting pages, as the kitting clerk works them", async ({ page }) => {
  await signInWithBadge(page, USERS.clerkWichita.badge);
  await expectFloorPage(page, "/kitting", heading);
  await expectFloorPage(page, `/kitting/${workOrder100234}`, heading);
  await expectFloorPage(page, `/kitting/kits/${order.kitId}`, heading);
  await expectFloorPage(page, "/kitting/stock-moves", heading);
  await expectFloorPage(page, "/kitting/shipping", heading);
  await expectFloorPage(page, "/kitting/transfers", heading);
});

test("WIP board pages, as the supervisor reads them", async ({ page }) => {
  await signInWithPassword(page, USERS.supervisorWichita.username);
  await expectFloorPage(page, "/wip", heading);
  await expectFloorPage(page, `/wip/${workOrder100234}`, heading);
  // the measure tells: an office page (office type sizes) has text below 18 px
  await page.goto("/genealogy");
  await heading(page);
  expect((await touchProblems(page)).smallText.length).toBeGreaterThan(0);
});
