// The server Playwright tests run against: a fresh PostgreSQL database with the demo plant, then `next start`
// (the app migrates and seeds it at start-up, as in production). Requires a prior `next build`.
import { spawn } from "node:child_process";
import { createDatabase, dropDatabase, urlFor } from "../db/testing/pg-admin";

const PORT = process.env.E2E_PORT ?? "3100";
const name = process.env.E2E_DATABASE ?? "tl_e2e";

await dropDatabase(name);
await createDatabase(name);
console.log(`e2e: fresh database ${name}`);

const child = spawn("npx", ["next", "start", "-p", PORT, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: urlFor(name),
    TRACELINE_DEMO: "1",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-secret-not-for-production-0123456789",
    AUTH_TRUST_HOST: "true",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
