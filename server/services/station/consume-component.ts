import "server-only";
import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { readActorOfSession, touchSessionAfter, type SignedInSession } from "@/server/auth/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { readScan, type ScanLookup } from "@/server/domain/kitting/kit-rules";
import { allowedLotsFor } from "@/server/domain/kitting/lot-rules";
import { assertQualified } from "@/server/domain/qualification/operator-qualification";
import { checkTools } from "@/server/domain/tools/tool-rules";
import { consistentWithLabel, recordName, uiiToRecord } from "@/server/domain/label-check/label-vs-record";
import { assertMaterialEligible } from "@/server/domain/material-eligibility/material-eligibility";
import {
  assertOperationOpen,
  assertOutTime,
  checkParameters,
  installQuantity,
  leftOn,
  linesAt,
  matchLine,
  type BomLine,
  goodsMovement,
} from "@/server/domain/station/station-rules";
import { postMovement } from "@/server/repos/ledger";
import { lockHoldKeysShared } from "@/server/repos/hold-locks";
import { timeBefore, timeRecorded, type RecordedTime } from "@/server/services/shared/recorded-time";
import { installSteps, readForConsume, type ConsumeReads } from "@/server/repos/station-consume";
import {
  installedPerLine,
  itemFactsAt,
  otherPlacesOf,
  stableMessageId,
  whereInstalled,
  type ItemFacts,
} from "@/server/repos/station-work";
import { payloadHash, priorOutcome } from "@/server/services/shared/idempotent";
import { allInOrder } from "@/server/services/shared/in-order";
import { findKitByLabel } from "./kit-at-station";
import { postingDate, requireRole, stationFrom, STATION_ROLES, unitOperationAt, type Station } from "./station-shared";

/** What the operator installs: a scan, or (from a list on the screen) a lot, a serial or an untracked revision. */
export type ConsumeItem = { scan: string } | { lotId: string } | { serialItemId: string } | { partRevisionId: string };

export type ConsumeCommand = {
  requestId: string;
  stationId: string;
  unitId: string;
  operationSeq: number;
  item: ConsumeItem;
  /** Decimal text; empty for a serial. */
  quantity?: string | null;
  /** Process parameters recorded with the install: { name: decimal text }. */
  parameters?: Record<string, string>;
  /** The tools and gauges the operator scanned for this operation (their label codes). */
  toolCodes?: string[];
};

export type ConsumeOutcome = {
  edgeId: string;
  movementId: string;
  unitId: string;
  unitSerial: string;
  operationSeq: number;
  findNumber: number;
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  /** what is left to install on the line after this install */
  lineLeft: string;
};

type Resolved = { partRevisionId: string; lotId: string | null; serialItemId: string | null };

/**
 * Install a component into a unit at an operation (docs/domain.md, "Consumption"), in one transaction: lock the unit
 * operation and the request id, read everything the install is judged on in one statement, check the request id and
 * every rule (role, unit and order open, operation open and routed here, part and revision by effectivity, quantity
 * left, allowed lots, AML, expiry, shelf life, out-time, holds, inspection, stock at this station's point of use, serial
 * not installed elsewhere, parameters within limits); then write, in one statement, the ledger legs (point of use ->
 * consumed) with the genealogy edge, the operation's start, the audit row, the ERP confirmation (movement type 261) and
 * the request's outcome. Three statements per scan, three round trips with BEGIN and COMMIT (a scan read from a label:
 * its candidates are looked up alongside the first, and the hold keys and facts of the one lot or serial it names come
 * with the locks and the read; a scan naming several, or a part, has its chosen item's keys and facts read once
 * chosen). A refusal writes nothing.
 */
export async function consumeComponent(db: DbOrTx, who: Actor | SignedInSession, cmd: ConsumeCommand, time: RecordedTime): Promise<ConsumeOutcome> {
  const item: Item = "scan" in cmd.item ? { scan: readScan(cmd.item.scan, timeBefore(time)) } : cmd.item;
  if (!("claims" in who)) {
    requireRole(who, STATION_ROLES, "install components");
    return db.transaction((tx) => install(tx, who, cmd, item, time));
  }
  // The signed-in session of a request (server/api: sessionSiteProcedure): its actor is read in the round trip of the
  // first locks, which are taken at the session's active site; the activity is recorded after, whatever the outcome.
  const site = who.claims.activeSiteId;
  let touchDue = false;
  try {
    const first = site
      ? await db
          .transaction(async (tx) => {
            const [session, reads] = await allInOrder([readActorOfSession(tx, who), readsOf(tx, site, who.claims.userId, cmd, item)] as const);
            touchDue = session.touchDue;
            const actor = sessionActor(session.actor);
            // the session's active site is no longer the actor's (a role taken away there): its reads are of no use
            if (actor.siteId !== site) throw new OtherSite(actor);
            return decide(tx, actor, cmd, item, time, reads);
          })
          .catch((e: unknown) => {
            if (e instanceof OtherSite) return e;
            throw e;
          })
      : null;
    if (first && !(first instanceof OtherSite)) return first;
    const actor = first?.actor ?? (await db.transaction(async (tx) => {
      const session = await readActorOfSession(tx, who);
      touchDue = session.touchDue;
      return sessionActor(session.actor);
    }));
    return await db.transaction((tx) => install(tx, actor, cmd, item, time));
  } finally {
    if (touchDue) await touchSessionAfter(db, who).catch(() => {
      /* recording the activity failed (the database went away): the next request records it */
    });
  }
}

/** The session ended (signed out, idle, disabled, lifetime over), or its user may not install here: refused as the API refuses. */
function sessionActor(actor: Actor | null): Actor {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
  requireRole(actor, STATION_ROLES, "install components");
  return actor;
}

/** The session's actor works at another site than the session named: the install is made again at the actor's site. */
class OtherSite {
  constructor(readonly actor: Actor) {}
}

/** An install by a known actor, in the caller's transaction. */
async function install(tx: Tx, actor: Actor, cmd: ConsumeCommand, item: Item, time: RecordedTime): Promise<ConsumeOutcome> {
  return decide(tx, actor, cmd, item, time, await readsOf(tx, actor.siteId, actor.userId, cmd, item));
}

function readsOf(tx: Tx, siteId: string, actorUserId: string, cmd: ConsumeCommand, item: Item): Promise<ConsumeReads> {
  return readForConsume(tx, siteId, {
    stationId: cmd.stationId,
    unitId: cmd.unitId,
    seq: cmd.operationSeq,
    requestId: cmd.requestId,
    actorUserId,
    item,
    toolCodes: cmd.toolCodes ?? [],
  });
}

/** The request id's stored outcome, or the install judged on its reads and written. */
async function decide(tx: Tx, actor: Actor, cmd: ConsumeCommand, item: Item, time: RecordedTime, reads: ConsumeReads): Promise<ConsumeOutcome> {
  const station = stationFrom(reads.station, cmd.stationId);
  if (!reads.locked) throw new DomainError("NOT_FOUND", "That unit or operation does not exist at this site.", { unitId: cmd.unitId, operationSeq: cmd.operationSeq });
  const hash = payloadHash(COMMAND, cmd);
  const prior = priorOutcome<ConsumeOutcome>(reads.prior, COMMAND, hash, cmd.requestId);
  if (prior) return prior.outcome;
  return consume(tx, actor, { ...cmd, hash }, item, station, reads, time);
}

const COMMAND = "station.consumeComponent";

/** The item with a scan read through the parser (before the transaction: an unreadable scan opens nothing). */
type Item = { scan: ScanLookup } | { lotId: string } | { serialItemId: string } | { partRevisionId: string };

async function consume(tx: Tx, actor: Actor, cmd: ConsumeCommand & { hash: string }, item: Item, station: Station, reads: ConsumeReads, time: RecordedTime): Promise<ConsumeOutcome> {
  const siteId = actor.siteId;
  const { ctx, op } = unitOperationAt(reads.ctx, cmd.unitId, cmd.operationSeq, station);
  assertOperationOpen(ctx.operations, cmd.operationSeq, ctx.unit.serial);
  // the BOM lines that apply are chosen by the day the scan arrived; the install is judged and recorded at its time
  const allAtOp = reads.bomAtOperation;
  const applying = linesAt(allAtOp, ctx.unit.serial, cmd.operationSeq, postingDate(actor, timeRecorded(time, reads.lockedAt!)));
  const installed = installedPerLine(allAtOp, reads.installedAtOperation);

  const { resolved, facts, installedIn, lockedAt, recordUii } = await resolveItem(tx, actor, item, reads, applying, station);
  // after the item's hold keys: a hold placed later waits for this install's commit and records a later time
  const now = timeRecorded(time, lockedAt);
  const today = postingDate(actor, now);
  // who installs, with which tools: the operator's current qualifications, the tools scanned for the operation
  assertQualified({ name: actor.displayName }, op, reads.qualifications, now, actor.timeZone);
  const tools = checkTools(op, cmd.toolCodes ?? [], reads.tools, now, actor.timeZone);
  const toolIds = tools.map((t) => t.id);
  if (resolved.serialItemId === ctx.unit.serialItemId) {
    throw new DomainError("WRONG_PART", `That is the serial of unit ${ctx.unit.serial} itself: a unit cannot be installed into itself.`, {});
  }
  const line = matchLine(applying, allAtOp, facts, { unitSerial: ctx.unit.serial, seq: cmd.operationSeq }, installed);
  if (facts.tracking === "lot" && !resolved.lotId) {
    throw new DomainError("SCAN_NOT_RECOGNISED", `${facts.partNumber} is lot-tracked: its part number alone does not say which lot.`, {});
  }
  if (facts.tracking === "serial" && !resolved.serialItemId) {
    throw new DomainError("SCAN_NOT_RECOGNISED", `${facts.partNumber} is serial-tracked: its part number alone does not say which serial.`, {});
  }
  const quantity = installQuantity(line, facts.tracking, cmd.quantity, installed);

  const allowed = allowedLotsFor({ bomLineId: line.id, partRevisionId: line.componentRevisionId }, reads.allowedLots);
  assertMaterialEligible(facts, { plannedUseAt: now, minRemainingShelfLifeDays: facts.minRemainingShelfLifeDays, allowedLotIds: facts.tracking === "lot" ? allowed : null, timeZone: actor.timeZone });
  assertOutTime({ name: itemName(facts), outTimeStartedAt: facts.outTimeStartedAt, outTimeMinutes: facts.outTimeMinutes }, now);
  if (installedIn) {
    throw new DomainError("SERIAL_ALREADY_INSTALLED", `Serial ${facts.serialNumber} is already installed in unit ${installedIn.serial}.`, {
      serialNumber: facts.serialNumber,
      installedIn: installedIn.serial,
    });
  }
  const parameters = checkParameters(op.specs, cmd.parameters, cmd.operationSeq);
  await assertAtPointOfUse(tx, siteId, resolved, facts, quantity.toFixed(), station);

  const q = quantity.toFixed();
  const reference = { workOrder: ctx.workOrder.number, unit: ctx.unit.serial, operation: String(cmd.operationSeq), station: station.code };
  const consumed = station.consumedId;
  if (!consumed) throw new DomainError("NOT_FOUND", "This site has no consumed-into-unit location; ask an administrator to set up the site.", {});
  const movementId = randomUUID();
  const edgeId = randomUUID();
  const after = { ...installed, [line.id]: quantity.plus(installed[line.id] ?? "0").toFixed() };
  const outcome: ConsumeOutcome = {
    edgeId,
    movementId,
    unitId: ctx.unit.id,
    unitSerial: ctx.unit.serial,
    operationSeq: cmd.operationSeq,
    findNumber: line.findNumber,
    partNumber: facts.partNumber,
    revision: facts.revision,
    uom: facts.uom,
    lotNumber: facts.lotNumber,
    serialNumber: facts.serialNumber,
    quantity: q,
    lineLeft: leftOn(line, after).toFixed(),
  };
  const newValue = { unit: ctx.unit.serial, operation: cmd.operationSeq, findNumber: line.findNumber, partNumber: facts.partNumber, revision: facts.revision, lotNumber: facts.lotNumber, serialNumber: facts.serialNumber, quantity: q, station: station.code, parameters, movementId, tools: tools.map((t) => t.code), ...(recordUii ? { uiiRecorded: recordUii } : {}) };
  const payload = goodsMovement("261", facts, { plant: station.erpPlant, order: ctx.workOrder.number, quantity: q, postingDate: today, reference: movementId, operation: cmd.operationSeq });
  // the ledger movement and the rest of the install in one statement
  const legs = [
    { ...resolved, locationId: station.pointOfUseId, quantity: `-${q}` },
    { ...resolved, locationId: consumed, quantity: q },
  ];
  await postMovement(
    tx,
    { id: movementId, siteId, kind: "consume", requestId: cmd.requestId, actorUserId: actor.userId, occurredAt: now, reference, legs },
    {
      andThen: installSteps({
        siteId,
        edge: {
          id: edgeId,
          parentSerialItemId: ctx.unit.serialItemId,
          parentUnitId: ctx.unit.id,
          childPartRevisionId: resolved.partRevisionId,
          childSerialItemId: resolved.serialItemId,
          childLotId: resolved.lotId,
          quantity: q,
          findNumber: line.findNumber,
          operationSeq: cmd.operationSeq,
          operatorUserId: actor.userId,
          stationId: station.id,
          installedAt: now,
          parameters,
          toolIds,
        },
        // once under way at this station, an install without new parameters leaves the operation row as it is
        startOperation:
          op.status !== "in_progress" || op.stationId !== station.id || Object.keys(parameters).length > 0 || toolIds.some((id) => !op.toolIds.includes(id))
            ? { unitOperationId: op.id }
            : null,
        startUnit: ctx.unit.status === "planned",
        recordUii: recordUii && resolved.serialItemId ? { serialItemId: resolved.serialItemId, uii: recordUii } : null,
        startWorkOrder: ctx.workOrder.status === "released" ? { workOrderId: ctx.workOrder.id } : null,
        audit: { actorName: actor.displayName, action: COMMAND, newValue },
        confirmation: { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "consumption"), type: "consumption", payload },
        request: { requestId: cmd.requestId, actorUserId: actor.userId, command: COMMAND, payloadHash: cmd.hash, outcome },
      }),
    },
  ).catch((e: unknown) => {
    if (isUniqueUii(e)) throw new DomainError("LABEL_CONTRADICTS_RECORD", `UII ${recordUii} was just recorded on another serial: the label does not belong to serial ${facts.serialNumber}.`, { uii: recordUii });
    if (isUniqueEdge(e)) throw new DomainError("SERIAL_ALREADY_INSTALLED", `Serial ${facts.serialNumber} was just installed in another unit.`, { serialNumber: facts.serialNumber });
    throw stockRefusal(e, facts, q);
  });
  return outcome;
}

/** "Lot AB-12" -> "lot AB-12": only the first letter, never the number. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const itemName = (f: { lotNumber: string | null; serialNumber: string | null; partNumber: string }) =>
  f.lotNumber ? `Lot ${f.lotNumber}` : f.serialNumber ? `Serial ${f.serialNumber}` : `${f.partNumber}`;

/**
 * Resolve what was scanned or picked to one item with its facts at the station's point of use. An item picked by id was
 * read with the rest; a scan names candidates, and the best one for this operation's lines is read now (one round
 * trip). A part number names an untracked part's revision on the BOM here.
 */
async function resolveItem(
  tx: Tx,
  actor: Actor,
  item: Item,
  reads: ConsumeReads,
  applying: BomLine[],
  station: Station,
): Promise<{ resolved: Resolved; facts: ItemFacts; installedIn: { unitId: string; serial: string } | null; lockedAt: Date; recordUii?: string | null }> {
  const siteId = actor.siteId;
  if (!("scan" in item)) {
    const f = reads.facts;
    if (!f) {
      const what = "partRevisionId" in item ? "That material" : "That lot or serial";
      throw new DomainError("NOT_FOUND", `${what} does not exist at this site.`, {});
    }
    return { resolved: { partRevisionId: f.partRevisionId, lotId: f.lotId, serialItemId: f.serialItemId }, facts: f, installedIn: reads.installedIn, lockedAt: reads.lockedAt! };
  }
  if (reads.scanned.length === 0) {
    const lookup = item.scan;
    const shown = lookup.lot ?? lookup.serial ?? lookup.partNumber ?? lookup.text ?? lookup.uii ?? lookup.raw.trim();
    // a kit label (its Data Matrix holds the kit number) installs nothing itself: the screen shows the kit's content
    const kit = (await findKitByLabel(tx, actor, shown)) ?? (lookup.raw.trim() !== shown ? await findKitByLabel(tx, actor, lookup.raw) : null);
    if (kit) {
      throw new DomainError("KIT_LABEL_SCANNED", `That is the label of kit ${kit.number}, not of a component: its content is shown with what this unit needs.`, {
        kitId: kit.id,
        kitNumber: kit.number,
      });
    }
    throw new DomainError("SCAN_NOT_RECOGNISED", `No lot, serial or part "${shown}" is known at ${actor.siteName}. Check the label, or ask kitting whether it was issued to the floor.`, {
      scanned: shown,
    });
  }
  const wanted = new Set(applying.map((l) => l.componentRevisionId));
  const wantedParts = new Set(applying.map((l) => l.partId));
  // the label is checked against the record of every candidate: a contradiction of the one this operation takes is refused
  const items = consistentWithLabel(reads.scanned, item.scan, actor.timeZone, recordName, (i) => (i.partRevisionId !== null && wanted.has(i.partRevisionId)) || wantedParts.has(i.partId));
  const best =
    items.find((i) => i.partRevisionId !== null && wanted.has(i.partRevisionId)) ??
    items.find((i) => i.kind === "part" && wantedParts.has(i.partId)) ??
    items.find((i) => wantedParts.has(i.partId)) ??
    items[0]!;
  let resolved: Resolved;
  if (best.kind === "part") {
    if (best.tracking !== "untracked") {
      throw new DomainError("SCAN_NOT_RECOGNISED", `${best.partNumber} is ${best.tracking}-tracked: its part number alone does not say which ${best.tracking}.`, {});
    }
    const line = applying.find((l) => l.partId === best.partId);
    if (!line) {
      throw new DomainError("WRONG_PART", `${best.partNumber} is not on the bill of materials of this unit at this operation.`, { partNumber: best.partNumber });
    }
    resolved = { partRevisionId: line.componentRevisionId, lotId: null, serialItemId: null };
  } else {
    resolved = { partRevisionId: best.partRevisionId!, lotId: best.lotId, serialItemId: best.serialItemId };
  }
  const recordUii = best.serialItemId && best.serialItemId === resolved.serialItemId ? uiiToRecord(item.scan, best) : null;
  // the scan's only lot or serial: its hold keys were taken in the first statement and its facts read with the rest
  const keyed = reads.keyedItem;
  if (keyed && keyed.lotId === resolved.lotId && keyed.serialItemId === resolved.serialItemId && keyed.partRevisionId === resolved.partRevisionId && reads.facts) {
    return { resolved, facts: reads.facts, installedIn: reads.installedIn, lockedAt: reads.lockedAt!, recordUii };
  }
  // the item's hold keys before its facts (holds among them) are read: sent together, run in this order
  const [lockedAt, facts, installedIn] = await allInOrder([
    lockHoldKeysShared(tx, siteId, resolved),
    itemFactsAt(tx, siteId, resolved, station.pointOfUseId),
    resolved.serialItemId ? whereInstalled(tx, siteId, resolved.serialItemId) : Promise.resolve(null),
  ] as const);
  if (!facts) throw new DomainError("NOT_FOUND", "That material does not exist at this site.", {});
  return { resolved, facts, installedIn, lockedAt, recordUii };
}

/** The material must be at this station's point of use, in the quantity asked. */
async function assertAtPointOfUse(
  tx: Tx,
  siteId: string,
  item: Resolved,
  facts: { onHand: string; reserved: string; hasBalance: boolean; lotNumber: string | null; serialNumber: string | null; partNumber: string; uom: string },
  quantity: string,
  station: { code: string; pointOfUseId: string },
): Promise<void> {
  const free = Decimal.max(new Decimal(facts.onHand).minus(facts.reserved), 0);
  if (free.gte(quantity)) return;
  const name = itemName(facts);
  // a serial is here or not; a lot that was here and is used up is short, not unstaged
  if (free.isZero() && (!facts.hasBalance || item.serialItemId !== null)) {
    const elsewhere = await otherPlacesOf(tx, siteId, item, station.pointOfUseId);
    throw new DomainError(
      "NOT_STAGED",
      `${name} is not staged at station ${station.code}${elsewhere.length > 0 ? `; it is in ${elsewhere.map((e) => e.name).join(", ")}` : ""}.`,
      { stationCode: station.code, elsewhere: elsewhere.map((e) => e.code) },
    );
  }
  const words = free.isZero() ? `None of ${lowerFirst(name)} is left at station ${station.code}` : `Only ${free.toFixed()} ${facts.uom} of ${lowerFirst(name)} is at station ${station.code}`;
  throw new DomainError("INSUFFICIENT_STOCK", `${words}; ${quantity} ${facts.uom} asked.`, {
    available: free.toFixed(),
    requested: quantity,
  });
}

/** A lost race on the balance (another station took the last of it) reads as the operator's stock refusal. */
function stockRefusal(e: unknown, facts: { lotNumber: string | null; serialNumber: string | null; partNumber: string }, quantity: string): unknown {
  if (e instanceof DomainError && e.code === "INSUFFICIENT_STOCK") {
    return new DomainError("INSUFFICIENT_STOCK", `${itemName(facts)} no longer has ${quantity} at this station: it was just used elsewhere.`, e.details);
  }
  return e;
}

function isUniqueUii(e: unknown): boolean {
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string };
  return err?.code === "23505" && (err.constraint_name ?? err.constraint) === "serial_items_uii_unique";
}

function isUniqueEdge(e: unknown): boolean {
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string };
  return err?.code === "23505" && (err.constraint_name ?? err.constraint) === "genealogy_edges_serial_installed_once";
}
