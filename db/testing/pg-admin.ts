import postgres from "postgres";

/** The PostgreSQL server tests use: the local one by default (trust auth), or TEST_PG_URL. */
export const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

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
