import "server-only";
import Decimal from "decimal.js";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { assertNotOverPick, assertOpenForPicking, outstanding, pickQuantity, readScan, statusAfterChange } from "@/server/domain/kitting/kit-rules";
import { allowedLotsFor, available } from "@/server/domain/kitting/lot-rules";
import { assertMaterialEligible } from "@/server/domain/material-eligibility/material-eligibility";
import { consistentWithLabel, recordName, uiiToRecord } from "@/server/domain/label-check/label-vs-record";
import { plannedUseAt } from "@/server/domain/kitting/dates";
import { writeAudit } from "@/server/repos/audit";
import { changeReservation } from "@/server/repos/ledger";
import {
  PICKABLE_KINDS,
  findLocation,
  findScannedItems,
  insertPick,
  listAllowedLots,
  loadCandidates,
  loadKitLines,
  loadKitPicks,
  lockKit,
  recordSerialUii,
  setKitStatus,
  type KitLineDetail,
  type KitPickRow,
  type ScannedItem,
} from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";

export type PickCommand = {
  requestId: string;
  kitId: string;
  /** What the scanner delivered (or the clerk typed): read by the one scan parser. */
  scan: string;
  /** Decimal text; empty for a serial, or to take what the line still needs (up to what is free). */
  quantity?: string | null;
  /** Take from this location; by default the pickable location with the most free stock. */
  locationId?: string | null;
};

export type PickOutcome = {
  pickId: string;
  kitId: string;
  kitNumber: string;
  kitStatus: string;
  kitLineId: string;
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  locationCode: string;
  /** the location's name, for people */
  locationName?: string;
  /** what the line still needs after this pick */
  lineOutstanding: string;
};

const label = (l: KitLineDetail) => `${l.partNumber} rev ${l.revision}`;
/** "Lot AB-12" -> "lot AB-12": only the first letter, identifiers keep their case. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** How much of the scanned lot or serial this kit already holds, and on which lines (find numbers). */
function inThisKit(picks: KitPickRow[], item: ScannedItem): { quantity: Decimal; lines: string[] } {
  const mine = picks.filter((p) => (item.serialItemId ? p.serialItemId === item.serialItemId : item.lotId ? p.lotId === item.lotId : false));
  return {
    quantity: mine.reduce((s, p) => s.plus(p.quantity), new Decimal(0)),
    lines: [...new Set(mine.map((p) => `${p.partNumber} rev ${p.revision}`))],
  };
}

const itemWords = (i: ScannedItem) => (i.lotNumber ? `Lot ${i.lotNumber}` : i.serialNumber ? `Serial ${i.serialNumber}` : `Part ${i.partNumber}`);

/**
 * Pick by scan: read the scan, find the lot/serial/part, match it to a line of the kit (right part and revision),
 * refuse what may not be kitted (hold, expiry and remaining shelf life, inspection, AML, allowed lots) and over-picks,
 * reserve the quantity on the source balance under its row lock, and record the pick. Nothing is written on a refusal.
 */
export async function pickToKit(db: DbOrTx, actor: Actor, cmd: PickCommand, now: Date): Promise<PickOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const kit = await lockKit(tx, siteId, cmd.kitId);
    if (!kit) throw new DomainError("NOT_FOUND", "That kit does not exist at this site.", { kitId: cmd.kitId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.pickToKit", payload: cmd, now }, async () => {
      assertOpenForPicking(kit);
      const lookup = readScan(cmd.scan, now);
      const found = await findScannedItems(tx, siteId, lookup);
      if (found.length === 0) {
        const shown = lookup.lot ?? lookup.serial ?? lookup.partNumber ?? lookup.text ?? lookup.uii ?? cmd.scan.trim();
        throw new DomainError("SCAN_NOT_RECOGNISED", `No lot, serial or part "${shown}" is known at ${actor.siteName}.`, {
          scanned: shown,
        });
      }
      const lines = await loadKitLines(tx, siteId, kit.id);
      // the label against the record of every item it may name; the contradiction of one this kit takes is named
      const items = consistentWithLabel(found, lookup, actor.timeZone, recordName, (i) => lines.some((l) => (i.partRevisionId ? l.partRevisionId === i.partRevisionId : l.partId === i.partId)));
      const pairs = items.flatMap((item) =>
        lines
          .filter((l) => (item.partRevisionId ? l.partRevisionId === item.partRevisionId : item.tracking === "untracked" && l.partId === item.partId))
          .map((line) => ({ item, line })),
      );
      if (pairs.length === 0) throw wrongItem(items, lines, kit.number);
      const chosen = pairs.find((p) => outstanding(p.line).gt(0)) ?? pairs[0]!;
      const { item, line } = chosen;
      // The same serial again (a repeated scan): it is in this kit already, say so (not "0 free").
      const alreadyHere = item.serialItemId || item.lotId ? inThisKit(await loadKitPicks(tx, siteId, kit.id), item) : null;
      if (item.serialItemId && alreadyHere && alreadyHere.quantity.gt(0)) {
        throw new DomainError(
          "SERIAL_ALREADY_PLACED",
          `Serial ${item.serialNumber} is already in kit ${kit.number} (${alreadyHere.lines.join(", ")}): it needs no second pick. Scan another serial if the line needs more.`,
          { serialNumber: item.serialNumber, kitNumber: kit.number },
        );
      }
      if (item.kind === "part" && item.tracking !== "untracked") {
        throw new DomainError("SCAN_NOT_RECOGNISED", `${item.partNumber} is ${item.tracking}-tracked: its part number alone does not say which ${item.tracking}.`, {});
      }
      if (cmd.locationId) {
        const loc = await findLocation(tx, siteId, cmd.locationId);
        if (!loc) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId: cmd.locationId });
        if (!(PICKABLE_KINDS as readonly string[]).includes(loc.kind)) {
          throw new DomainError("VALIDATION_FAILED", `Kits are picked from stores, the kitting area or a kit cart, not from ${loc.code}.`, { locationId: loc.id });
        }
      }
      const { candidates } = await loadCandidates(tx, siteId, {
        partRevisionIds: [line.partRevisionId],
        lotId: item.lotId,
        serialItemId: item.serialItemId,
        untrackedOnly: item.kind === "part",
        locationId: cmd.locationId ?? undefined,
      });
      const rules = {
        plannedUseAt: plannedUseAt(kit.dueDate, actor.timeZone, now),
        now,
        minRemainingShelfLifeDays: line.minRemainingShelfLifeDays,
        timeZone: actor.timeZone,
        allowedLotIds: allowedLotsFor({ bomLineId: line.bomLineId, partRevisionId: line.partRevisionId }, await listAllowedLots(tx, siteId, kit.workOrderId)),
      };
      const first = candidates[0];
      if (!first) {
        // Nothing to pick from; still name the specific refusal if the item may not be kitted at all (e.g. in quarantine).
        const elsewhere = await loadCandidates(tx, siteId, { partRevisionIds: [line.partRevisionId], lotId: item.lotId, serialItemId: item.serialItemId, untrackedOnly: item.kind === "part", anyLocationKind: true });
        if (elsewhere.candidates[0]) assertMaterialEligible(elsewhere.candidates[0], rules);
        throw new DomainError("INSUFFICIENT_STOCK", `${itemWords(item)} has no stock in stores, the kitting area or on a kit cart${cmd.locationId ? " at that location" : ""}.`, {
          lotNumber: item.lotNumber,
          serialNumber: item.serialNumber,
        });
      }
      assertMaterialEligible(first, rules);
      const left = outstanding(line);
      const maxFree = candidates.reduce((m, c) => Decimal.max(m, available(c)), new Decimal(0));
      const quantity = pickQuantity({ tracking: line.tracking, typed: cmd.quantity ?? null, outstanding: left, available: maxFree });
      assertNotOverPick({ ...line, label: label(line) }, quantity);
      const source = [...candidates]
        .sort((a, b) => available(b).comparedTo(available(a)) || (a.locationCode < b.locationCode ? -1 : 1))
        .find((c) => available(c).gte(quantity));
      if (!source) {
        const here = alreadyHere && alreadyHere.quantity.gt(0) ? ` (${alreadyHere.quantity.toFixed()} ${line.uom} of it are already in this kit)` : "";
        throw new DomainError(
          "INSUFFICIENT_STOCK",
          `Only ${maxFree.toFixed()} ${line.uom} of ${lowerFirst(itemWords(item))} is free (not reserved to other kits) in one place; ${quantity.toFixed()} ${line.uom} asked${here}.`,
          { free: maxFree.toFixed(), requested: quantity.toFixed(), inThisKit: alreadyHere?.quantity.toFixed() ?? "0" },
        );
      }
      const q = quantity.toFixed();
      // The guard on the balance row is what keeps two clerks from allocating the same quantity.
      await changeReservation(tx, siteId, source, q);
      const pickId = await insertPick(tx, {
        siteId,
        kitId: kit.id,
        kitLineId: line.id,
        locationId: source.locationId,
        partRevisionId: line.partRevisionId,
        lotId: source.lotId,
        serialItemId: source.serialItemId,
        quantity: q,
        pickedBy: actor.userId,
        pickedAt: now,
        requestId: cmd.requestId,
      });
      const uii = item.serialItemId ? uiiToRecord(lookup, item) : null;
      if (uii && item.serialItemId) await recordSerialUii(tx, siteId, item.serialItemId, uii);
      const after = lines.map((l) => (l.id === line.id ? { ...l, picked: new Decimal(l.picked).plus(quantity).toFixed() } : l));
      const status = statusAfterChange(after);
      if (status !== kit.status) await setKitStatus(tx, siteId, kit.id, status);
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "kit.pick",
        entity: "kit",
        entityId: kit.id,
        newValue: { kit: kit.number, line: label(line), lot: source.lotNumber, serial: source.serialNumber, location: source.locationCode, quantity: q, reserved: true, ...(uii ? { uiiRecorded: uii } : {}) },
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return {
        pickId,
        kitId: kit.id,
        kitNumber: kit.number,
        kitStatus: status,
        kitLineId: line.id,
        partNumber: line.partNumber,
        revision: line.revision,
        uom: line.uom,
        lotNumber: source.lotNumber,
        serialNumber: source.serialNumber,
        quantity: q,
        locationCode: source.locationCode,
        ...(source.locationName ? { locationName: source.locationName } : {}),
        lineOutstanding: left.minus(quantity).toFixed(),
      };
    });
  });
}

function wrongItem(items: ScannedItem[], lines: KitLineDetail[], kitNumber: string): DomainError {
  for (const item of items) {
    const samePart = lines.filter((l) => l.partId === item.partId);
    if (samePart.length > 0) {
      const wanted = [...new Set(samePart.map((l) => l.revision))].join(" or ");
      return new DomainError(
        "WRONG_REVISION",
        `${itemWords(item)} is ${item.partNumber} rev ${item.revision ?? "?"}; kit ${kitNumber} needs rev ${wanted} of that part for its units.`,
        { partNumber: item.partNumber, scannedRevision: item.revision, neededRevisions: wanted },
      );
    }
  }
  const first = items[0]!;
  return new DomainError("WRONG_PART", `${itemWords(first)} is ${first.partNumber}${first.revision ? ` rev ${first.revision}` : ""}, which kit ${kitNumber} does not need.`, {
    partNumber: first.partNumber,
  });
}
