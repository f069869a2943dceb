import { urlFor } from "../db/testing/pg-admin";

/** The database of this run's server (on TEST_PG_URL's server), named by playwright.config.ts. */
export function e2eDatabaseUrl(): string {
  const name = process.env.E2E_DATABASE;
  if (!name) throw new Error("E2E_DATABASE is set by playwright.config.ts: run the browser tests with `npm run test:e2e`");
  return urlFor(name);
}
