import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite } from "@/db/testing/factories";
import { OUTBOUND_FORMATS, type OutboundFormat } from "@/server/integrations/erp/outbound/formats";
import { CONFIRMATION_EXAMPLES } from "@/server/integrations/erp/outbound/examples.test-helper";
import { b2mmlSchemaErrorsOf } from "@/server/integrations/erp/b2mml-schema.test-helper";
import { readConfirmationsRequest } from "@/server/integrations/erp/receiver-sim";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { createErpConnection } from "./connections";
import { pullConfirmations } from "./outbound-confirmations";

// The pull feed in each format: the items stay Traceline's JSON; a connection in the b2mml or sap format also gets each
// confirmation as a `document` of that format, which carries the same message id and ordering key (and, for B2MML,
// validates against the V0700 schemas). A confirmation that cannot be put into the format does not stop the feed.
const t = useTestDatabase("empty", { max: 4 });

async function pullingPlant(format: OutboundFormat) {
  const site = await createTestSite(t.db);
  const { id } = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: `ERP ${site.code}`, source: `ERP-${site.code}`, plants: { [site.code]: site.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "pull", format, url: null, dedupes: true, secret: null }));
  const examples = Object.values(CONFIRMATION_EXAMPLES).map((c) => ({ ...c, messageId: randomUUID() }));
  for (const c of [...examples, { ...examples[0]!, messageId: randomUUID(), type: "teleport" }]) {
    await t.db.execute(
      sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values (${site.siteId}::uuid, ${c.messageId}::uuid, ${c.type}, ${JSON.stringify(c.payload)}::jsonb, ${c.orderingKey})`,
    );
  }
  return { connection: { id, source: `ERP-${site.code}`, plantSites: { [site.code]: site.siteId } }, examples };
}

describe.each(OUTBOUND_FORMATS.map((f) => [f]))("the pull feed of a connection in the %s format", (format) => {
  it(format === "json" ? "returns the JSON items alone" : "adds each confirmation as a document in that format", async () => {
    const { connection, examples } = await pullingPlant(format);
    const page = await pullConfirmations(t.db, connection, null, 100);
    expect(page.confirmations.map((c) => c.messageId)).toHaveLength(examples.length + 1);
    const mapped = page.confirmations.filter((c) => c.type !== "teleport");
    const unknown = page.confirmations.find((c) => c.type === "teleport")!;
    if (format === "json") {
      expect(page.confirmations.filter((c) => "document" in c || "documentError" in c)).toEqual([]);
      return;
    }
    for (const item of mapped) {
      expect(item.documentError, item.type).toBeUndefined();
      const read = readConfirmationsRequest(item.document!);
      expect(read?.map((r) => ({ messageId: r.messageId, orderingKey: r.orderingKey, type: r.type, format: r.format }))).toEqual([
        { messageId: item.messageId, orderingKey: item.orderingKey, type: item.type, format },
      ]);
    }
    expect(unknown.document).toBeUndefined();
    expect(unknown.documentError).toMatch(/type "teleport" cannot be encoded/);
    if (format === "b2mml") {
      const errors = await b2mmlSchemaErrorsOf(Object.fromEntries(mapped.map((c) => [c.type + c.messageId, c.document!])));
      expect(Object.entries(errors).filter(([, e]) => e.length > 0)).toEqual([]);
    }
  });
});
