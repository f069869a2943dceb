import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";

/*
 * Demo plant credentials, as in db/seed/demo-users.ts (DEMO_USERS). That module is server-only, so the browser tests
 * cannot import it; these must change with it.
 */
export const DEMO_PASSWORD = "demo-password";
export const DEMO_PIN = "1234";
export const USERS = {
  operatorWichita: { badge: "B1001", name: "Maria Lopez" },
  clerkWichita: { badge: "B1002", name: "Jamal Carter" },
  supervisorWichita: { username: "dan.whitaker", name: "Dan Whitaker" },
  adminWichita: { username: "alex.morgan", name: "Alex Morgan" },
  operatorToulouse: { badge: "B2001", name: "Lucas Moreau" },
  clerkToulouse: { badge: "B2002", name: "Camille Durand" },
  qualityWichita: { username: "priya.raman", name: "Priya Raman" },
  qualityToulouse: { username: "sophie.martin", name: "Sophie Martin" },
  twoSiteSupervisor: { username: "elena.novak", name: "Elena Novak" },
} as const;

export const WICHITA = "Wichita Actuation Plant";
export const TOULOUSE = "Toulouse Assembly Plant";

/** The sign-in form submits only once hydrated: wait for its button to be enabled before typing. */
async function openSignIn(page: Page) {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
}

export async function fillBadge(page: Page, badge: string, pin: string) {
  await openSignIn(page);
  await page.getByRole("textbox", { name: "Badge" }).fill(badge);
  await page.getByLabel("PIN", { exact: true }).fill(pin);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInWithBadge(page: Page, badge: string, pin = DEMO_PIN) {
  await fillBadge(page, badge, pin);
  await page.waitForURL((url) => url.pathname === "/");
}

export async function signInWithPassword(page: Page, username: string, password = DEMO_PASSWORD) {
  await openSignIn(page);
  await page.getByRole("tab", { name: "Office" }).click();
  await page.getByRole("textbox", { name: "User name" }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

/** Keep a picture of each main screen for a person to look at (e2e/artifacts, not committed). */
export async function keepScreenshot(page: Page, name: string) {
  await page.screenshot({ path: fileURLToPath(new URL(`./artifacts/${name}.png`, import.meta.url)), fullPage: true });
}
