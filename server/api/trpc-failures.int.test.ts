import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import superjson from "superjson";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Database, type Db } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { resolveActor } from "@/server/auth/actor";
import type { Actor } from "@/server/auth/types";
import { createUser, unique } from "@/server/auth/testing/users";

/**
 * Failures that are not refusals, provoked for real against PostgreSQL and answered over the tRPC wire format: the
 * caller gets a code, words, retryable and a correlation id; the SQL and parameters go to the server log only, on a
 * line carrying the same correlation id.
 */

const t = useTestDatabase("demo");
let admin: Actor;
let siteId: string;
let impatient: Database; // a second handle on the same database whose statements give up on a lock after 300 ms
let unreachable: Database; // a handle on a port where no database listens

type ErrorAnswer = { message: string; data: { code: string; httpStatus: number; correlationId: string; retryable: boolean; failure: string | null } };

beforeAll(async () => {
  [{ id: siteId }] = (await queryRows<{ id: string }>(t.db, sql`select id from sites where code = 'WCH'`)) as [{ id: string }];
  const user = await createUser(t.db, { displayName: "Ada Failure", username: unique("ada"), password: "admin pass 1", roles: [{ siteId, role: "admin" }] });
  admin = (await resolveActor(t.db, { userId: user.id, sessionVersion: 1, activeSiteId: siteId }))!;
  await t.ownerDb.execute(sql.raw(`alter database "${t.name}" set lock_timeout = '300ms'`));
  impatient = await openDatabase({ url: t.url, max: 2 });
  unreachable = await openDatabase({ url: "postgres://postgres@127.0.0.1:9/none?connect_timeout=2", max: 1 });
});

afterAll(async () => {
  await impatient?.close();
  await unreachable?.close().catch(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function post(db: Db, path: string, input: unknown, contextFails = false) {
  const logged: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${String((a as { cause?: unknown }).cause ?? "")}\n${a.stack}` : String(a))).join(" "));
  });
  const correlationId = `test${Math.random().toString(16).slice(2, 14)}`;
  const req =
    input === undefined
      ? new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "GET" })
      : new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: JSON.stringify(superjson.serialize(input)), headers: { "content-type": "application/json" } });
  const res = await handleTrpcRequest(req, correlationId, async () => {
    // As createContext does: the actor is read from the database before any procedure runs.
    if (contextFails) await db.execute(sql`select id, password_hash from users where id = ${admin.userId}`);
    return { db, actor: admin, clientKey: "test", now: () => new Date(), correlationId };
  });
  const text = await res.text();
  const error = (JSON.parse(text) as { error: { json: ErrorAnswer } }).error.json;
  vi.restoreAllMocks();
  return { status: res.status, text, error, correlationId, logged };
}

describe("failures that are not refusals, over tRPC", () => {
  it("answers a lock wait that gave up (a busy database) as SERVICE_UNAVAILABLE, retryable, with the log line carrying the details", async () => {
    const target = await createUser(t.db, { displayName: "Locked Out", badgeId: unique("B"), pin: "1234", roles: [{ siteId, role: "operator" }] });
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`select id from users where id = ${target.id} for update`);
      locked();
      await held;
    });
    await isLocked;
    try {
      const answer = await post(impatient.db, "admin.disableUser", { userId: target.id, reason: "Left the company" });
      expect(answer.status).toBe(503);
      expect(answer.error).toMatchObject({
        message: "The database was busy and did not finish; nothing was recorded. Try again.",
        data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, retryable: true, failure: "DATABASE_BUSY", correlationId: answer.correlationId },
      });
      expect(answer.text).not.toMatch(/select|users|lock timeout|55P03/i);
      // The server log has the details, under the same correlation id.
      const line = answer.logged.find((l) => l.includes(answer.correlationId));
      expect(line).toMatch(/admin\.disableUser/);
      expect(line).toMatch(/lock timeout|canceling statement due to lock timeout/i);
    } finally {
      release();
      await holder;
    }
    // Nothing was recorded: the user is still active.
    const [row] = await queryRows<{ is_active: boolean }>(t.db, sql`select is_active from users where id = ${target.id}`);
    expect(row!.is_active).toBe(true);
  });

  it("answers a database that does not accept connections as SERVICE_UNAVAILABLE, retryable, without the query", async () => {
    const answer = await post(unreachable.db, "admin.disableUser", { userId: admin.sites[0]!.id, reason: "whatever it is" });
    expect(answer.status).toBe(503);
    expect(answer.error).toMatchObject({
      message: "The database did not answer; nothing was recorded. Try again in a moment.",
      data: { code: "SERVICE_UNAVAILABLE", retryable: true, failure: "DATABASE_UNAVAILABLE", correlationId: answer.correlationId },
    });
    expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|select/i);
    expect(answer.logged.find((l) => l.includes(answer.correlationId))).toMatch(/ECONNREFUSED/);
  });

  it("answers a failure while reading the actor (before any procedure) with retryable words and the correlation id, never the query", async () => {
    const answer = await post(unreachable.db, "session.me", undefined, true);
    expect([500, 503]).toContain(answer.status);
    expect(answer.error.data).toMatchObject({ retryable: true, failure: "DATABASE_UNAVAILABLE", correlationId: answer.correlationId });
    expect(answer.error.message).toBe("The database did not answer; nothing was recorded. Try again in a moment.");
    expect(answer.text).not.toMatch(/password_hash|select|ECONNREFUSED/i);
    expect(answer.logged.find((l) => l.includes(answer.correlationId))).toMatch(/session\.me/);
  });
});
