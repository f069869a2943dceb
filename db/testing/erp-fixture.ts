import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Envelope, MessageType } from "@/server/integrations/erp/messages";
import { createTestSite, type TestSite } from "./factories";
import { ownershipRegistry } from "@/db/schema";
import { DEFAULT_OWNERSHIP } from "@/server/domain/erp/ownership-defaults";
import type { Connection } from "@/server/services/erp/receive-messages";

/** Test support for the ERP interface: a site, a connection mapped to it, the registry defaults, message builders. */
export async function erpFixture(db: DbOrTx): Promise<{ site: TestSite; connection: Connection; plant: string }> {
  const site = await createTestSite(db);
  await db
    .insert(ownershipRegistry)
    .values(DEFAULT_OWNERSHIP.map((o) => ({ entity: o.entity, attribute: o.attribute, owner: o.owner, direction: o.direction, note: o.note })))
    .onConflictDoNothing();
  return { site, plant: site.code, connection: { id: randomUUID(), source: "SAP-TEST", plantSites: { [site.code]: site.siteId } } };
}

let counter = 0;
export function message<T extends MessageType>(plant: string, type: T, key: string, version: number, payload: unknown, messageId?: string): Envelope {
  counter += 1;
  return { source: "SAP-TEST", messageId: messageId ?? `m-${counter}-${randomUUID().slice(0, 8)}`, type, key, version, plant, occurredAt: "2026-11-20T08:00:00Z", payload };
}
