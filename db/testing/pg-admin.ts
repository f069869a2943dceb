import postgres from "postgres";

export const DEFAULT_TEST_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The PostgreSQL server tests use: TEST_PG_URL, else the local one (trust auth). `npm test` sets TEST_PG_URL to a
 * private server for the run when none answers (scripts/test-env/postgres.ts).
 */
export const ADMIN_URL = process.env.TEST_PG_URL || DEFAULT_TEST_PG_URL;

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

export async function createDatabase(name: string, template?: string): Promise<void> {
  await withAdmin(async (sql) => {
    await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (sql) => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  });
}
