import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { defineConfig, devices } from "@playwright/test";

// A port and a database of this run's own, so two runs on one machine do not collide: chosen by `npm test` (or here, for
// a bare `playwright test`) and passed through the environment, which the web server and the workers inherit (this file
// is evaluated again in each worker, where both are already set). scripts/e2e-server.ts drops the database at the end.
process.env.E2E_PORT ||= execFileSync(
  process.execPath,
  ["-e", "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })"],
  { encoding: "utf8" },
);
process.env.E2E_DATABASE ||= `tl_e2e_${randomBytes(4).toString("hex")}`;
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

// Debian's Chromium, never a downloaded browser. The web server prepares a fresh demo database itself,
// because Playwright starts it before any globalSetup.
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // a ceiling for slow, shared machines (CI has 2 cores): the longest specs walk three signed-in sessions
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "tablet", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, channel: undefined } },
  ],
  webServer: {
    command: `node --conditions=react-server --import tsx scripts/e2e-server.ts`,
    url: `${baseURL}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM (not SIGKILL) so that the server script can drop its database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
