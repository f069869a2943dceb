// The server Playwright tests run against: a fresh PostgreSQL database with the demo plant, then the production server
// (scripts/serve.mjs, what `npm start` runs; the app migrates and seeds it at start-up, as in production). Requires a prior `next build`. The port and the
// database name come from playwright.config.ts (unique per run); the database is dropped when the server stops.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDatabase, dropDatabase, urlFor } from "../db/testing/pg-admin";

const PORT = process.env.E2E_PORT;
const name = process.env.E2E_DATABASE;
if (!PORT || !name) throw new Error("E2E_PORT and E2E_DATABASE are set by playwright.config.ts: run `npm run test:e2e`");

await dropDatabase(name);
await createDatabase(name);
console.log(`e2e: fresh database ${name}`);

const child = spawn(process.execPath, [fileURLToPath(new URL("./serve.mjs", import.meta.url))], {
  stdio: "inherit",
  env: {
    ...process.env,
    PORT,
    TRACELINE_HOST: "127.0.0.1",
    DATABASE_URL: urlFor(name),
    TRACELINE_DEMO: "1",
    // the app delivers ERP confirmations itself (the e2e specs check a delivery on the monitor)
    TRACELINE_WORKER: "inline",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-secret-not-for-production-0123456789",
    AUTH_TRUST_HOST: "true",
  },
});
let stopping = false;
const stop = () => {
  stopping = true;
  child.kill("SIGTERM");
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  void dropDatabase(name)
    .then(() => console.log(`e2e: dropped database ${name}`))
    .catch((e: Error) => console.error(`e2e: could not drop database ${name}: ${e.message}`))
    .finally(() => process.exit(stopping ? 0 : (code ?? 1)));
});
