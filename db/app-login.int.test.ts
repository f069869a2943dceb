import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "./testing/test-database";
import { createDatabase, dropDatabase, urlFor } from "./testing/pg-admin";
import { APP_ROLE, appLogin, openDatabase, queryRows } from "./client";

/*
 * Issue 15, Must 8: the app logs in as traceline_app (not a superuser, owns nothing), so nothing it runs can SET ROLE
 * back to the owner; migrations run as the owner; an app given only the role's URL refuses to start on an unmigrated
 * database and starts on a migrated one.
 */
const t = useTestDatabase("empty");

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message);
  }
  throw new Error("expected a refusal");
}

describe("the app's database login", () => {
  it("is traceline_app itself: no superuser, no tables of its own, no way back to the owner", async () => {
    const [who] = await queryRows<{ session_user: string; current_user: string; super: boolean; owns: number }>(
      t.db,
      sql`select session_user::text as session_user, current_user::text as current_user,
                 (select rolsuper from pg_roles where rolname = session_user) as super,
                 (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = session_user) as owns`,
    );
    expect(who).toEqual({ session_user: APP_ROLE, current_user: APP_ROLE, super: false, owns: 0 });
    expect(await refusal(t.db.execute(sql`set role postgres`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`))).toMatch(/must be owner/);
  });

  it("builds the app's login from an owner URL, and keeps a URL that already names the role", () => {
    const saved = process.env.TRACELINE_APP_PASSWORD;
    try {
      delete process.env.TRACELINE_APP_PASSWORD;
      expect(appLogin("postgres://owner:secret@db.example:5433/traceline?sslmode=require", APP_ROLE)).toBe("postgres://traceline_app@db.example:5433/traceline?sslmode=require");
      process.env.TRACELINE_APP_PASSWORD = "app pw";
      expect(appLogin("postgres://owner:secret@db.example/traceline", APP_ROLE)).toBe("postgres://traceline_app:app%20pw@db.example/traceline");
      expect(appLogin("postgres://traceline_app:given@db.example/traceline", APP_ROLE)).toBe("postgres://traceline_app:given@db.example/traceline");
      expect(appLogin("postgres://owner:secret@db.example/traceline", null)).toBe("postgres://owner:secret@db.example/traceline");
    } finally {
      if (saved === undefined) delete process.env.TRACELINE_APP_PASSWORD;
      else process.env.TRACELINE_APP_PASSWORD = saved;
    }
  });

  it("an app given only traceline_app's URL refuses an unmigrated database, saying how to migrate, and starts on a migrated one", async () => {
    const name = `tl_t_login_${Date.now().toString(36)}`;
    await createDatabase(name);
    const asApp = new URL(urlFor(name));
    asApp.username = APP_ROLE;
    try {
      const bare = await openDatabase({ url: asApp.toString(), ownerUrl: asApp.toString(), max: 1 });
      await expect(bare.migrate()).rejects.toThrow(/not migrated.*npm run db:migrate/);
      await bare.close();
      const owner = await openDatabase({ url: urlFor(name), role: null, max: 1 });
      await owner.migrate();
      await owner.close();
      const app = await openDatabase({ url: asApp.toString(), ownerUrl: asApp.toString(), max: 1 });
      await app.migrate();
      const [n] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from sites`);
      expect(n!.n).toBe(0);
      await app.close();
    } finally {
      await dropDatabase(name);
    }
  });
});
