import { expect, test, type Page } from "@playwright/test";
import {
  TOULOUSE,
  USERS,
  WICHITA,
  fillBadge,
  keepScreenshot,
  signInWithBadge,
  signInWithPassword,
} from "./sign-in-helpers";

const areas = (page: Page) => page.getByRole("navigation", { name: "Areas" });

test.describe("signing in and what each person sees", () => {
  test("a station operator signs in with badge and PIN and lands on their stations with the units queued there", async ({ page }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);

    await expect(page.getByRole("heading", { level: 1, name: WICHITA })).toBeVisible();
    await expect(page.getByText(USERS.operatorWichita.name, { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Stations and queued units" })).toBeVisible();
    const fa01 = page.getByRole("link", { name: /^Station FA-01 Final assembly station 1: \d+ units queued$/ });
    await expect(fa01).toBeVisible();
    // Real data from the demo plant: ACT-1002 is mid-way through op 30 on work order WO-100233.
    await expect(fa01.getByText("ACT-1002", { exact: true })).toBeVisible();
    await expect(fa01.getByText("WO-100233").first()).toBeVisible();
    // Only the areas an operator may open.
    await expect(areas(page).getByRole("link", { name: "Station" })).toBeVisible();
    await expect(areas(page).getByRole("link", { name: "Admin" })).toHaveCount(0);
    await expect(areas(page).getByRole("link", { name: "Kitting" })).toHaveCount(0);
    await keepScreenshot(page, "operator-home");

    await fa01.click();
    await expect(page.getByRole("heading", { level: 1, name: /Station FA-01/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Units queued here" })).toBeVisible();
    const material = page.getByRole("table", { name: "Material at this station" });
    const expiredRow = material.getByRole("row").filter({ hasText: "AC24-0331" });
    await expect(expiredRow.getByText(/^Expired \d{4}-\d{2}-\d{2}$/)).toBeVisible();
    await expect(material.getByRole("row").filter({ hasText: "AC24-0519" }).getByText("237.5")).toBeVisible();
    await keepScreenshot(page, "station");
  });

  test("an office user (supervisor) signs in with a password and sees work in progress", async ({ page }) => {
    await signInWithPassword(page, USERS.supervisorWichita.username);
    await expect(page.getByRole("heading", { level: 1, name: WICHITA })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Work in progress" })).toBeVisible();
    await expect(page.getByRole("link", { name: "WO-100233" })).toBeVisible();
    await expect(areas(page).getByRole("link", { name: "WIP board" })).toBeVisible();
    await expect(areas(page).getByRole("link", { name: "Admin" })).toHaveCount(0);
    await keepScreenshot(page, "supervisor-home");

    await areas(page).getByRole("link", { name: "WIP board" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "WIP board" })).toBeVisible();
    // every unit tile of the order links to it; any of them opens the order
    await page.getByRole("link", { name: "WO-100233" }).first().click();
    await expect(page.getByRole("table", { name: "Units by operation" }).getByRole("row").filter({ hasText: "ACT-1001" })).toBeVisible();
    await keepScreenshot(page, "wip-work-order");

    await areas(page).getByRole("link", { name: "Kitting" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Kitting" })).toBeVisible();
    await expect(page.getByRole("link", { name: "WO-100234" })).toBeVisible();
    await keepScreenshot(page, "kitting");
    await page.getByRole("link", { name: "WO-100233" }).click();
    await expect(page.getByRole("table", { name: "BOM lines" }).getByRole("row").filter({ hasText: "PR-1422-B2" })).toBeVisible();
    await keepScreenshot(page, "kitting-work-order");

    await areas(page).getByRole("link", { name: "Genealogy" }).click();
    await page.getByLabel("Search or scan").fill("ACT-1001");
    await page.getByRole("button", { name: "Search" }).click();
    const hit = page.getByRole("table", { name: "Search results" }).getByRole("row").filter({ hasText: "ACT-1001" }).filter({ has: page.getByRole("link", { name: "As-built", exact: true }) }).first();
    await hit.getByRole("link", { name: "As-built", exact: true }).click();
    await expect(page.getByRole("heading", { name: "As-built of ACT-1001" })).toBeVisible();
    // Three levels, opened one at a time: the servo-valve, its torque motor, and the torque motor's coil lot.
    const tree = page.getByRole("table", { name: "As-built components" });
    await expect(tree.getByRole("link", { name: "SV-3001", exact: true })).toBeVisible();
    await tree.getByRole("button", { name: /^Open SV-3001 \(\d+ below\)$/ }).click();
    await expect(tree.getByRole("link", { name: "TM-5001", exact: true })).toBeVisible();
    await tree.getByRole("button", { name: /^Open TM-5001 \(\d+ below\)$/ }).click();
    await expect(tree.getByText("lot MM24-1187")).toBeVisible();
    await keepScreenshot(page, "genealogy");

    await areas(page).getByRole("link", { name: "ERP interface" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "ERP interface" })).toBeVisible();
    await keepScreenshot(page, "erp");
  });

  test("a wrong PIN is refused with the reason, and nobody is signed in", async ({ page }) => {
    await fillBadge(page, USERS.clerkToulouse.badge, "0000"); // the demo PIN is 1234
    await expect(page.getByText("Badge or PIN is wrong.")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an operator opening the admin area is told their role cannot open it", async ({ page }) => {
    await signInWithBadge(page, USERS.operatorWichita.badge);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: `Your role at ${WICHITA} cannot open Admin.` })).toBeVisible();
    await expect(page.getByText("Users and roles")).toHaveCount(0);
    await keepScreenshot(page, "forbidden");
    await page.goto("/wip");
    await expect(page.getByRole("heading", { name: `Your role at ${WICHITA} cannot open WIP board.` })).toBeVisible();
  });

  test("a user of one site does not see the other site's data, even by URL", async ({ browser }) => {
    // Find the id of a Wichita station as a Wichita operator would.
    const wichita = await browser.newContext();
    const wPage = await wichita.newPage();
    await signInWithBadge(wPage, USERS.operatorWichita.badge);
    const wichitaStationUrl = await wPage.getByRole("link", { name: /^Station FA-01 / }).getAttribute("href");
    expect(wichitaStationUrl).toMatch(/^\/station\/[0-9a-f-]{36}$/);
    await wichita.close();

    const toulouse = await browser.newContext();
    const page = await toulouse.newPage();
    await signInWithBadge(page, USERS.operatorToulouse.badge);
    await expect(page.getByRole("heading", { level: 1, name: TOULOUSE })).toBeVisible();
    await expect(page.getByText("ACT-2001").first()).toBeVisible();
    await expect(page.getByText("WO-100233")).toHaveCount(0);
    await expect(page.getByText("ACT-1002")).toHaveCount(0);
    await expect(page.getByRole("link", { name: /Station FA-01/ })).toHaveCount(0);

    await page.goto(wichitaStationUrl!);
    // Toulouse works in French (the site's default language)
    await expect(page.getByRole("heading", { name: `Ce poste : introuvable sur le site ${TOULOUSE}.` })).toBeVisible();
    await expect(page.getByText("ACT-1002")).toHaveCount(0);
    await keepScreenshot(page, "other-site-not-found");
    await toulouse.close();

    const quality = await browser.newContext();
    const qPage = await quality.newPage();
    await signInWithPassword(qPage, USERS.qualityToulouse.username);
    await qPage.goto("/genealogy?serial=ACT-1001");
    // in French too: Toulouse's default language
    await expect(qPage.getByRole("heading", { name: `Rien sur le site ${TOULOUSE} ne correspond à « ACT-1001 »` })).toBeVisible();
    await quality.close();
  });

  test("a user with two sites switches site and sees the other site's work", async ({ page }) => {
    await signInWithPassword(page, USERS.twoSiteSupervisor.username);
    const site = page.getByLabel("Site", { exact: true });
    await expect(site).toBeEnabled();
    const current = await page.getByRole("heading", { level: 1 }).textContent();
    const [target, absent, present] = current?.includes(TOULOUSE)
      ? ([`WCH · ${WICHITA}`, "WO-200101", "WO-100233"] as const)
      : ([`TLS · ${TOULOUSE}`, "WO-100233", "WO-200101"] as const);
    await site.selectOption({ label: target });
    await expect(page.getByRole("heading", { level: 1, name: target.slice(6) })).toBeVisible();
    await expect(page.getByRole("link", { name: present })).toBeVisible();
    await expect(page.getByRole("link", { name: absent })).toHaveCount(0);
    await keepScreenshot(page, "site-switched");
  });

  test("an administrator sees users and roles, ERP message counts and the ownership registry", async ({ page }) => {
    await signInWithPassword(page, USERS.adminWichita.username);
    await expect(page.getByRole("heading", { name: "ERP messages" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Users and roles" }).getByRole("row").filter({ hasText: "Elena Novak" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Ownership registry" }).getByRole("row").filter({ hasText: "expires_at" }).first()).toBeVisible();
    await keepScreenshot(page, "admin-home");
    await areas(page).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("table", { name: "Storage locations" }).getByRole("row").filter({ hasText: "POU-FA-01" })).toBeVisible();
    await keepScreenshot(page, "admin");
  });

  test("signing out returns to the sign-in page and ends the session, even for a copy of the old cookie", async ({ page, browser }) => {
    await signInWithBadge(page, USERS.clerkWichita.badge);
    await expect(page.getByRole("heading", { name: "Work orders to kit, by due date" })).toBeVisible();
    await keepScreenshot(page, "kitting-clerk-home");
    const oldCookies = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    // Someone replays the cookie the tablet had before signing out: the session is over on the server.
    const replay = await browser.newContext();
    await replay.addCookies(oldCookies);
    const replayed = await replay.newPage();
    await replayed.goto("/");
    await expect(replayed).toHaveURL(/\/sign-in/);
    await replay.close();
  });

  test("pages answer with a strict CSP carrying a fresh nonce, refuse framing, and hydrate under it", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
    });
    const first = await page.goto("/sign-in");
    const headers = first!.headers();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    // Every script Next rendered carries this answer's nonce; the next answer has another.
    const nonces = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(nonces.length).toBeGreaterThan(0);
    expect(new Set(nonces)).toEqual(new Set([nonce]));
    expect((await page.request.get("/sign-in")).headers()["content-security-policy"]).not.toContain(nonce!);
    // Hydrated (the button is enabled only then), and a signed-in page with client islands works too.
    await signInWithBadge(page, USERS.operatorWichita.badge);
    await page.getByRole("link", { name: /^Station FA-01/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: /Station FA-01/ })).toBeVisible();
    expect(violations).toEqual([]);
    const api = await page.request.get("/api/trpc/session.me");
    expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(api.headers()["x-correlation-id"]).toMatch(/^[0-9a-f]{16}$/);
  });
});
