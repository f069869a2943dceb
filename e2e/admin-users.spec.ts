import { expect, test } from "@playwright/test";
import { USERS, WICHITA, keepScreenshot, signInWithPassword } from "./sign-in-helpers";

/*
 * Administration at Wichita: Alex Morgan creates a quality engineer with a first password; the new user signs in with
 * it and is made to choose their own password before any page opens (a mismatch first: refused in words); the
 * temporary password then no longer works, their own does.
 */
const sfx = Date.now().toString(36);
const newUser = { name: `Nadia Kerr ${sfx}`, username: `nadia.${sfx}`, first: `first-pass-${sfx}`, own: `my own passphrase ${sfx}` };

async function officeSignIn(page: import("@playwright/test").Page, username: string, password: string) {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await page.getByRole("tab", { name: "Office" }).click();
  await page.getByRole("textbox", { name: "User name" }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an administrator creates a user, who must choose their own password at the first sign-in", async ({ page, browser }) => {
  await signInWithPassword(page, USERS.adminWichita.username);
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Create a user" });
  await expect(form.getByRole("button", { name: "Create user" })).toBeEnabled();
  await form.getByLabel("Name", { exact: true }).fill(newUser.name);
  await form.getByLabel("User name (office sign-in)").fill(newUser.username);
  await form.getByLabel("First password (at least 12 characters)").fill(newUser.first);
  await form.getByRole("checkbox", { name: "Quality engineer" }).check();
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`${newUser.name} was created at ${WICHITA}`);
  const row = page.getByRole("table", { name: "Users and roles" }).getByRole("row").filter({ hasText: newUser.name });
  await expect(row).toContainText("WCH: Quality engineer");
  await keepScreenshot(page, "admin-user-created");

  const context = await browser.newContext();
  const first = await context.newPage();
  await officeSignIn(first, newUser.username, newUser.first);
  const alert = first.getByRole("alert").filter({ hasText: "choose your own new password" });
  await expect(alert).toBeVisible();
  await expect(first).toHaveURL(/\/sign-in/);
  await first.getByLabel("New password", { exact: true }).fill(newUser.own);
  await first.getByLabel("New password again").fill(`${newUser.own}x`);
  await first.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(first.getByRole("alert").filter({ hasText: "The two new passwords are not the same" })).toBeVisible();
  await first.getByLabel("New password again").fill(newUser.own);
  await keepScreenshot(first, "sign-in-choose-own-password");
  await first.getByRole("button", { name: "Set password and sign in" }).click();
  await first.waitForURL((url) => url.pathname === "/");
  await expect(first.getByRole("heading", { level: 1, name: WICHITA })).toBeVisible();
  await context.close();

  // the temporary password is gone; their own works straight away
  const again = await browser.newContext();
  const second = await again.newPage();
  await officeSignIn(second, newUser.username, newUser.first);
  await expect(second.getByRole("alert").filter({ hasText: "User name or password is wrong." })).toBeVisible();
  await officeSignIn(second, newUser.username, newUser.own);
  await second.waitForURL((url) => url.pathname === "/");
  await again.close();
});
