import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite, createTestUser, type TestSite } from "@/db/testing/factories";
import { TEST_NOW } from "@/db/testing/clock";
import { queryRows } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { outboundSettings } from "@/server/repos/erp-outbound-settings";
import { openSecret } from "@/server/integrations/erp/outbound/secret";
import { resolveAuthSecret } from "@/server/auth/auth-secret";
import { createErpConnection } from "./connections";
import { configureOutbound, type OutboundInput } from "./outbound-confirmations";

// An administrator chooses how a connection receives confirmations: refused in words when it cannot be, audited when it
// is; the push credential is stored encrypted and never comes back in clear.
const t = useTestDatabase("empty");

async function adminOf(sites: TestSite[]) {
  const user = await createTestUser(t.db, sites[0]!.siteId, "admin");
  return { userId: user.id, displayName: "Ada Admin", sites: sites.map((s) => ({ id: s.siteId, code: s.code, name: s.code, timeZone: "America/Chicago", roles: ["admin" as const] })) };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const push = (url: string, extra: Partial<OutboundInput> = {}): OutboundInput => ({ mode: "push", format: "json", url, dedupes: true, ...extra });

describe("configureOutbound", () => {
  it("sets push with an encrypted credential, audited; keeps the credential when none is given; removes it on request", async () => {
    const site = await createTestSite(t.db);
    const admin = await adminOf([site]);
    const { id } = await createErpConnection(t.db, admin, { name: "ERP", source: "ERP-A", plants: { [site.code]: site.code } });
    await configureOutbound(t.db, admin, id, push("https://erp.example.com/confirmations", { secret: "s3cret-token-1234" }), TEST_NOW);
    const stored = await queryRows<{ outbound_secret: string }>(t.db, sql`select outbound_secret from erp_connections where id = ${id}::uuid`);
    expect(stored[0]!.outbound_secret).not.toContain("s3cret");
    expect(openSecret(stored[0]!.outbound_secret, resolveAuthSecret())).toBe("s3cret-token-1234");
    expect(await outboundSettings(t.db, id)).toMatchObject({ mode: "push", url: "https://erp.example.com/confirmations", secretHint: "1234", hasSecret: true });
    await configureOutbound(t.db, admin, id, push("https://erp.example.com/v2", { format: "sap", dedupes: false }), TEST_NOW);
    expect(await outboundSettings(t.db, id)).toMatchObject({ url: "https://erp.example.com/v2", format: "sap", dedupes: false, hasSecret: true });
    await configureOutbound(t.db, admin, id, push("https://erp.example.com/v2", { secret: null }), TEST_NOW);
    expect(await outboundSettings(t.db, id)).toMatchObject({ hasSecret: false, secretHint: null });
    const audit = await queryRows<{ action: string; new_value: Record<string, unknown> }>(
      t.db,
      sql`select action, new_value from audit_log where entity = 'erp_connection' and entity_id = ${id} and action = 'erp_connection_outbound_changed' order by id`,
    );
    expect(audit.map((a) => a.new_value.credential)).toEqual(["…1234", "unchanged", null]);
    expect(JSON.stringify(audit)).not.toContain("s3cret");
  });

  it.each([
    ["an address that is not http(s)", push("ftp://erp.example.com/x"), "url"],
    ["no address for push", push(""), "url"],
    ["a credential inside the address", push("https://user:pw@erp.example.com/x"), "url"],
  ])("refuses %s, changing nothing", async (_, input, field) => {
    const site = await createTestSite(t.db);
    const admin = await adminOf([site]);
    const { id } = await createErpConnection(t.db, admin, { name: "ERP", source: "ERP-B", plants: { [site.code]: site.code } });
    const e = await refusal(configureOutbound(t.db, admin, id, input, TEST_NOW));
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.details).toMatchObject({ field });
    expect(await outboundSettings(t.db, id)).toMatchObject({ mode: "none", url: null });
  });

  it("one receiver per site; only an administrator of every site the connection feeds may change it", async () => {
    const [a, b] = [await createTestSite(t.db), await createTestSite(t.db)];
    const both = await adminOf([a, b]);
    const first = await createErpConnection(t.db, both, { name: "First", source: "ERP-1", plants: { [a.code]: a.code, [b.code]: b.code } });
    const second = await createErpConnection(t.db, both, { name: "Second", source: "ERP-2", plants: { [b.code]: b.code } });
    await configureOutbound(t.db, both, first.id, { mode: "pull", format: "json", url: null, dedupes: true }, TEST_NOW);
    const clash = await refusal(configureOutbound(t.db, both, second.id, push("https://erp.example.com/x"), TEST_NOW));
    expect(clash.message).toMatch(/"First" already receives/);
    const onlyA = await adminOf([a]);
    expect((await refusal(configureOutbound(t.db, onlyA, first.id, { mode: "none", format: "json", url: null, dedupes: true }, TEST_NOW))).code).toBe("FORBIDDEN");
    expect((await outboundSettings(t.db, first.id))?.mode).toBe("pull");
  });
});
