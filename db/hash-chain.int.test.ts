import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "./testing/test-database";
import { createTestLot, createTestPart, createTestSite, createTestUser, type TestSite } from "./testing/factories";
import { staggered } from "./testing/race";
import { postMovement } from "../server/repos/ledger";
import { writeAudit } from "../server/repos/audit";
import { failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";
import { queryRows, type Db, type Tx } from "./client";

/*
 * Issue 15, Must 8: the audit log and the ledger are hash-chained per site at commit; check:ledger recomputes the chain
 * and names a row rewritten behind the application's back; concurrent postings (one site, or two sites in opposite
 * orders) chain without deadlock; the app role cannot write the chain, nor change or remove a hold.
 */
const t = useTestDatabase("empty", { max: 12 });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message);
  }
  throw new Error("expected a refusal");
}

async function receive(tx: Tx, site: TestSite, item: { partRevisionId: string; lotId: string }, qty: string, userId: string) {
  const m = await postMovement(tx, {
    siteId: site.siteId,
    kind: "receive_from_erp",
    occurredAt: new Date(),
    legs: [
      { ...item, serialItemId: null, locationId: site.loc.erp_supply, quantity: `-${qty}` },
      { ...item, serialItemId: null, locationId: site.loc.stores, quantity: qty },
    ],
  });
  await writeAudit(tx, { siteId: site.siteId, actorUserId: userId, actorName: "Chain Test", action: "receive", entity: "lot", entityId: item.lotId, newValue: { qty } });
  return m;
}

async function setUp(db: Db) {
  const site = await createTestSite(db);
  const part = await createTestPart(db, "lot");
  const lot = await createTestLot(db, site.siteId, part.revisionId);
  const user = await createTestUser(db, site.siteId, "operator");
  return { site, item: { partRevisionId: part.revisionId, lotId: lot.id }, user };
}

const chainOf = (siteId: string) =>
  queryRows<{ seq: number; kind: string; row_id: string }>(t.db, sql`select seq::int as seq, kind, row_id from hash_chain where site_key = ${siteId} order by seq`);

describe("the hash chain of the audit log and the ledger", () => {
  it("chains every movement and audit row of a site at commit, in one unbroken sequence; a rolled-back posting leaves none", async () => {
    const { site, item, user } = await setUp(t.db);
    const before = (await chainOf(site.siteId)).length;
    const moved = await t.db.transaction((tx) => receive(tx, site, item, "5", user.id));
    await expect(
      t.db.transaction(async (tx) => {
        await receive(tx, site, item, "7", user.id);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const chain = await chainOf(site.siteId);
    expect(chain.map((c) => c.seq)).toEqual(chain.map((_, i) => i + 1));
    expect(chain.slice(before).map((c) => c.kind).sort()).toEqual(["audit", "movement"]);
    expect(chain.some((c) => c.kind === "movement" && c.row_id === moved.movementId)).toBe(true);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("concurrent postings at one site, and transactions writing two sites in opposite orders, chain without deadlock", async () => {
    const a = await setUp(t.db);
    const b = await setUp(t.db);
    // each call its own lots (so its own balance rows): the chain heads are the only thing the calls share
    const lotOf = async (s: typeof a) => ({ partRevisionId: s.item.partRevisionId, lotId: (await createTestLot(t.db, s.site.siteId, s.item.partRevisionId)).id });
    const calls = [];
    for (let i = 0; i < 10; i++) {
      const [first, second] = i % 2 ? [a, b] : [b, a];
      const [one, two] = [await lotOf(first), await lotOf(second)];
      calls.push({
        delayMs: (i * 7) % 30,
        run: () =>
          t.db.transaction(async (tx) => {
            await receive(tx, first.site, one, "1", first.user.id);
            if (i % 3 !== 0) await receive(tx, second.site, two, "1", second.user.id);
          }),
      });
    }
    const outcome = await staggered(calls);
    expect(outcome.failed).toEqual([]);
    for (const s of [a, b]) {
      const chain = await chainOf(s.site.siteId);
      expect(chain.map((c) => c.seq)).toEqual(chain.map((_, i) => i + 1));
    }
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("the app role may read the chain but not write, change or remove it", async () => {
    const { site } = await setUp(t.db);
    expect(await refusal(t.db.execute(sql`insert into hash_chain (site_key, seq, kind, row_id, prev_hash, row_hash) values (${site.siteId}, 999, 'audit', '1', '', '')`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`update hash_chain_heads set seq = 0`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`delete from hash_chain`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`select traceline_chain_seal_pending()`))).toMatch(/permission denied/);
    expect(await refusal(t.ownerDb.execute(sql`delete from hash_chain`))).toMatch(/APPEND_ONLY/);
  });

  it("the app role cannot remove a hold or change what it says; the owner cannot remove one either", async () => {
    const { site, item, user } = await setUp(t.db);
    const holdId = randomUUID();
    await t.db.execute(
      sql`insert into holds (site_id, id, target_type, target_id, reason, placed_by, placed_at)
          values (${site.siteId}::uuid, ${holdId}::uuid, 'lot', ${item.lotId}::uuid, 'suspect', ${user.id}::uuid, now())`,
    );
    expect(await refusal(t.db.execute(sql`delete from holds where id = ${holdId}::uuid`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`update holds set reason = 'nothing' where id = ${holdId}::uuid`))).toMatch(/permission denied/);
    expect(await refusal(t.ownerDb.execute(sql`delete from holds where id = ${holdId}::uuid`))).toMatch(/APPEND_ONLY/);
    expect(await refusal(t.ownerDb.execute(sql`update holds set reason = 'nothing' where id = ${holdId}::uuid`))).toMatch(/APPEND_ONLY/);
    // the release is what may change, once
    await t.db.execute(sql`update holds set released_at = now(), released_by = ${user.id}::uuid, release_reason = 'cleared' where id = ${holdId}::uuid`);
    expect(await refusal(t.db.execute(sql`update holds set release_reason = 'again' where id = ${holdId}::uuid`))).toMatch(/already released/);
  });

  // last: these rewrite history as the owner, so the file's database fails its checks from here on
  it("check:ledger names an audit row and a movement rewritten by the owner behind the triggers", async () => {
    const { site, item, user } = await setUp(t.db);
    const moved = await t.db.transaction((tx) => receive(tx, site, item, "3", user.id));
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
    const [audit] = await queryRows<{ id: string }>(t.db, sql`select id::text from audit_log where site_id = ${site.siteId}::uuid order by id desc limit 1`);
    await t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(sql`update audit_log set reason = 'rewritten' where id = ${audit!.id}::bigint`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
      await tx.execute(sql`alter table movement_legs disable trigger movement_legs_append_only`);
      await tx.execute(sql`update movement_legs set quantity = quantity * 2 where site_id = ${site.siteId}::uuid and movement_id = ${moved.movementId}::uuid`);
      await tx.execute(sql`alter table movement_legs enable trigger movement_legs_append_only`);
    });
    const chain = failedChecks(await runLedgerChecks(t.db)).find((r) => r.name === "hash chain intact");
    expect(chain?.examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ site_key: site.siteId, kind: "audit", row_id: audit!.id, problem: "row changed after it was chained" }),
        expect.objectContaining({ site_key: site.siteId, kind: "movement", row_id: moved.movementId, problem: "row changed after it was chained" }),
      ]),
    );
  });
});
