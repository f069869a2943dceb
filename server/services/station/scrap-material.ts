import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { parseQuantity } from "@/server/domain/shared/quantity";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { consistentWithLabel, recordName } from "@/server/domain/label-check/label-vs-record";
import { SCRAP_REASONS, goodsMovement, type ScrapReason } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { findScannedItems } from "@/server/repos/kitting";
import { enqueueConfirmation, findLocationOfSite, firstLocationOfKind, identifyItem, itemFactsAt, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import { idempotent } from "@/server/services/shared/idempotent";
import { postingDate, requireRole, REWORK_ROLES } from "./station-shared";

export type ScrapCommand = {
  requestId: string;
  /** Where the material is: a point of use, stores or quarantine. */
  locationId: string;
  item: { scan: string } | { lotId: string } | { serialItemId: string } | { partRevisionId: string };
  /** Decimal text; 1 (or empty) for a serial. */
  quantity?: string | null;
  reasonCode: ScrapReason;
  note?: string | null;
};

export type ScrapOutcome = { movementId: string; partNumber: string; revision: string; lotNumber: string | null; serialNumber: string | null; quantity: string; uom: string; fromCode: string; fromName?: string };

const SCRAPPABLE_FROM = new Set(["point_of_use", "stores", "quarantine", "kitting", "kit_cart"]);

/** Scrap material where it lies, with a reason code: location -> scrap, audit row, ERP scrap posting (551). */
export async function scrapMaterial(db: DbOrTx, actor: Actor, cmd: ScrapCommand, now: Date): Promise<ScrapOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, REWORK_ROLES, "scrap material");
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "station.scrapMaterial", payload: cmd, now }, () => scrap(tx, actor, cmd, now));
  });
}

async function scrap(tx: Tx, actor: Actor, cmd: ScrapCommand, now: Date): Promise<ScrapOutcome> {
  const siteId = actor.siteId;
  const label = SCRAP_REASONS[cmd.reasonCode];
  if (!label) throw new DomainError("VALIDATION_FAILED", `Choose a scrap reason: ${Object.values(SCRAP_REASONS).join(", ")}.`, { field: "reasonCode" });
  const from = await findLocationOfSite(tx, siteId, cmd.locationId);
  if (!from) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId: cmd.locationId });
  if (!SCRAPPABLE_FROM.has(from.kind)) throw new DomainError("VALIDATION_FAILED", `Material is scrapped from a point of use, stores or quarantine, not from ${from.code}.`, { field: "locationId" });
  const item = await resolve(tx, actor, cmd.item, now);
  const facts = await itemFactsAt(tx, siteId, item, from.id);
  if (!facts) throw new DomainError("NOT_FOUND", "That material does not exist at this site.", {});
  let q = "1";
  if (item.serialItemId) {
    if (cmd.quantity != null && cmd.quantity.trim() !== "" && !parseQuantity(cmd.quantity).eq(1)) throw new DomainError("VALIDATION_FAILED", "A serial is scrapped one piece at a time.", { field: "quantity" });
  } else {
    if (cmd.quantity == null || cmd.quantity.trim() === "") throw new DomainError("VALIDATION_FAILED", `Enter the quantity of ${facts.partNumber} to scrap (${facts.uom}).`, { field: "quantity" });
    q = parseQuantity(cmd.quantity).toFixed();
  }
  const scrapLoc = await firstLocationOfKind(tx, siteId, "scrap");
  if (!scrapLoc) throw new DomainError("NOT_FOUND", "This site has no scrap location.", {});
  const reason = `${cmd.reasonCode}: ${label}${cmd.note?.trim() ? ` (${cmd.note.trim()})` : ""}`;
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: "scrap",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { location: from.code },
    legs: [
      { ...item, locationId: from.id, quantity: `-${q}` },
      { ...item, locationId: scrapLoc.id, quantity: q },
    ],
  }).catch((e: unknown) => {
    if (e instanceof DomainError && e.code === "INSUFFICIENT_STOCK") {
      const name = facts.lotNumber ? `lot ${facts.lotNumber}` : facts.serialNumber ? `serial ${facts.serialNumber}` : facts.partNumber;
      throw new DomainError("INSUFFICIENT_STOCK", `There is not ${q} ${facts.uom} of ${name} at ${from.code} to scrap.`, e.details);
    }
    throw e;
  });
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "station.scrapMaterial",
    entity: "movement",
    entityId: movementId,
    newValue: { location: from.code, partNumber: facts.partNumber, lotNumber: facts.lotNumber, serialNumber: facts.serialNumber, quantity: q, reasonCode: cmd.reasonCode },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const payload = goodsMovement("551", facts, { plant: await siteErpPlant(tx, siteId), order: null, quantity: q, postingDate: postingDate(actor, now), reference: movementId, reason });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "scrap"), type: "scrap", payload, at: now });
  return { movementId, partNumber: facts.partNumber, revision: facts.revision, lotNumber: facts.lotNumber, serialNumber: facts.serialNumber, quantity: q, uom: facts.uom, fromCode: from.code, fromName: from.name };
}

async function resolve(tx: Tx, actor: Actor, item: ScrapCommand["item"], now: Date): Promise<{ partRevisionId: string; lotId: string | null; serialItemId: string | null }> {
  if ("partRevisionId" in item) return { partRevisionId: item.partRevisionId, lotId: null, serialItemId: null };
  if ("scan" in item) {
    const lookup = readScan(item.scan, now);
    const found = consistentWithLabel((await findScannedItems(tx, actor.siteId, lookup)).filter((i) => i.kind !== "part"), lookup, actor.timeZone, recordName);
    if (found.length === 0) throw new DomainError("SCAN_NOT_RECOGNISED", "No lot or serial with that label is known at this site.", {});
    if (found.length > 1) throw new DomainError("SCAN_NOT_RECOGNISED", "That number names more than one lot or serial here: scan the full label (with the part number).", {});
    return { partRevisionId: found[0]!.partRevisionId!, lotId: found[0]!.lotId, serialItemId: found[0]!.serialItemId };
  }
  const found = await identifyItem(tx, actor.siteId, item);
  if (!found) throw new DomainError("NOT_FOUND", "That lot or serial does not exist at this site.", {});
  return found;
}
