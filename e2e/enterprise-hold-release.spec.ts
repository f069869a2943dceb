import postgres from "postgres";
import { expect, test, type Browser } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e-database";
import { DEMO_PASSWORD, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * An enterprise hold released at both demo sites at once. Two quality engineers of their own with the enterprise role
 * at Wichita and Toulouse (written to the e2e database with the demo password) and a lot number of their own at both
 * sites: the first holds it at every site, the second opens the hold's page, sees it on hold at WCH and TLS, releases it
 * everywhere with one signature and sees it released at both.
 */

const sfx = `${Date.now().toString(36).toUpperCase()}`;
const lotNumber = `ENT-${sfx}`;
const placer = `e2e.ent.placer.${sfx.toLowerCase()}`;
const releaser = `e2e.ent.releaser.${sfx.toLowerCase()}`;

test.beforeAll(async () => {
  const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const [priya] = await sql<{ password_hash: string }[]>`select password_hash from users where username = 'priya.raman'`;
    const sites = await sql<{ id: string; code: string }[]>`select id, code from sites where code in ('WCH', 'TLS') order by code`;
    const [rev] = await sql<{ id: string }[]>`select pr.id from part_revisions pr join parts p on p.id = pr.part_id where p.tracking = 'lot' order by p.part_number limit 1`;
    for (const [username, name] of [
      [placer, `Enterprise Placer ${sfx}`],
      [releaser, `Enterprise Releaser ${sfx}`],
    ] as const) {
      const [user] = await sql<{ id: string }[]>`insert into users (username, display_name, password_hash, locale) values (${username}, ${name}, ${priya!.password_hash}, 'en') returning id`;
      for (const site of sites) {
        await sql`insert into user_site_roles (user_id, site_id, role) values (${user!.id}, ${site.id}, 'quality_engineer'), (${user!.id}, ${site.id}, 'enterprise')`;
      }
    }
    for (const site of sites) {
      await sql`insert into lots (site_id, part_revision_id, lot_number, inspection_status) values (${site.id}, ${rev!.id}, ${lotNumber}, 'accepted')`;
    }
  } finally {
    await sql.end();
  }
});

async function signedIn(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithPassword(page, username);
  return { context, page };
}

test("an enterprise hold is placed at both sites and released at both with one signature", async ({ browser }) => {
  const reason = `Supplier notice ${sfx}: cage cracks`;
  const first = await signedIn(browser, placer);
  await first.page.goto("/quality/holds/enterprise");
  await expect(first.page.getByRole("heading", { level: 1, name: "Hold at every site" })).toBeVisible();
  const form = first.page.getByRole("form", { name: "Place a hold" });
  await expect(form.getByRole("button", { name: "Place hold and sign…" })).toBeEnabled();
  await form.getByLabel("Hold a").selectOption({ label: "Lot" });
  await form.getByLabel("Lot number").fill(lotNumber);
  await form.getByLabel("Reason for the hold").fill(reason);
  await form.getByRole("button", { name: "Place hold and sign…" }).click();
  const dialog = first.page.getByRole("dialog", { name: "Sign the hold" });
  await dialog.getByLabel("Your password").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign", exact: true }).click();
  await expect(first.page.getByRole("status").filter({ hasText: "is on hold at TLS, WCH." })).toBeVisible();
  await first.context.close();

  const second = await signedIn(browser, releaser);
  const page = second.page;
  await page.goto("/quality/holds");
  await page.getByRole("table", { name: "Active holds" }).getByRole("row").filter({ hasText: lotNumber }).getByRole("link").click();
  await expect(page.getByTestId("hold-reason")).toHaveText(reason);
  const sites = page.getByRole("table", { name: "The hold at each site" });
  await expect(sites.getByRole("row").filter({ hasText: "WCH · " })).toContainText("On hold");
  await expect(sites.getByRole("row").filter({ hasText: "TLS · " })).toContainText("On hold");

  const release = page.getByRole("form", { name: "Release the hold at every site" });
  await expect(release.getByRole("button", { name: "Release at every site and sign…" })).toBeEnabled();
  await release.getByLabel("Reason for the release").fill("Supplier 8D accepted");
  await release.getByRole("button", { name: "Release at every site and sign…" }).click();
  const sign = page.getByRole("dialog", { name: "Sign the release at every site" });
  await expect(sign.getByLabel("Meaning")).toHaveValue("release");
  await sign.getByLabel("Your password").fill(DEMO_PASSWORD);
  await sign.getByRole("button", { name: "Sign", exact: true }).click();
  // the page refreshes: each site's state, and nothing left to release
  await expect(sites.getByRole("row").filter({ hasText: "WCH · " })).toContainText(`Released`);
  await expect(sites.getByRole("row").filter({ hasText: "TLS · " })).toContainText(`Released`);
  await expect(sites.getByRole("row").filter({ hasText: "TLS · " })).toContainText(`Enterprise Releaser ${sfx}`);
  await expect(page.getByRole("heading", { level: 1 }).getByText("Released", { exact: true })).toBeVisible();
  await expect(page.getByText("Released at every site.")).toBeVisible();
  await keepScreenshot(page, "enterprise-hold-released");
  await second.context.close();
});
