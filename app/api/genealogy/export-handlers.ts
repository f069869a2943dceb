import "server-only";
import { fromWallTime } from "@/components/genealogy/wall-time";
import { getDb } from "@/db/app-database";
import type { Actor } from "@/server/auth/types";
import type { WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import { exportAsBuilt } from "@/server/services/genealogy/export-as-built";
import { exportWhereUsed } from "@/server/services/genealogy/export-where-used";
import { DomainError } from "@/server/domain/shared/errors";
import { answerIn, exportFormat, exportRefusal, exportRoute, fileResponse, isId, one, readerOf, refuseIn, streamFailureLogger } from "./export-http";

/*
 * The genealogy export handlers, given how to find the signed-in actor (the routes pass getActor; tests pass an actor).
 * Every refusal, theirs or the export services', is worded in the asker's language (export-http.ts refuseIn).
 */

const formatRefused = () => new DomainError("VALIDATION_FAILED", "The export format is csv, pdf or json.", {}, { key: "exportFormat" });

/**
 * GET ?item=<serial item id>&at=<YYYY-MM-DDTHH:mm site wall time, optional>&format=csv|pdf|json: the whole as-built as a
 * file, streamed as it is read.
 */
export function asBuiltExport(currentActor: () => Promise<Actor | null>) {
  return exportRoute("as-built export", async (request, rc) => {
    const actor = await currentActor();
    const refused = exportRefusal(rc, actor, request);
    if (refused || !actor) return refused!;
    const reader = readerOf(actor);
    const sp = new URL(request.url).searchParams;
    const item = one(sp, "item");
    const site = actor.siteName;
    if (!isId(item)) return refuseIn(rc, reader, new DomainError("NOT_FOUND", `That serial does not exist at ${site}.`, {}, { key: "exportSerialNotFound", values: { site } }));
    const format = exportFormat(sp);
    if (!format) return refuseIn(rc, reader, formatRefused());
    const atText = one(sp, "at");
    const at = atText ? fromWallTime(atText, actor.timeZone) : null;
    if (atText && !at) {
      const text = atText.slice(0, 40);
      return refuseIn(rc, reader, new DomainError("VALIDATION_FAILED", `"${text}" is not a date and time (YYYY-MM-DDTHH:mm).`, {}, { key: "exportNotADateTime", values: { text } }));
    }
    const db = await getDb();
    // Refusals of the services (NOT_FOUND for another site's serial) answer with their status, in the reader's words.
    return answerIn(rc, reader, async () => fileResponse(await exportAsBuilt(db, actor, { serialItemId: item, at, format }, new Date(), streamFailureLogger("as-built export", rc))));
  });
}

const KINDS = ["lot", "serial", "part_revision", "part", "manufacturer"] as const;

function targetFrom(sp: URLSearchParams): WhereUsedTarget | null {
  const kind = one(sp, "kind");
  if (kind === "supplier_lot") {
    const supplierLot = one(sp, "supplierLot").slice(0, 100);
    return supplierLot ? { kind, supplierLot } : null;
  }
  const id = one(sp, "id");
  const k = KINDS.find((x) => x === kind);
  return k && isId(id) ? { kind: k, id } : null;
}

/** GET ?kind=&id=|supplierLot=&current=1&top=1&format=csv|pdf|json: the whole where-used answer (all pages) as a file, streamed. */
export function whereUsedExport(currentActor: () => Promise<Actor | null>) {
  return exportRoute("where-used export", async (request, rc) => {
    const actor = await currentActor();
    const refused = exportRefusal(rc, actor, request);
    if (refused || !actor) return refused!;
    const reader = readerOf(actor);
    const sp = new URL(request.url).searchParams;
    const target = targetFrom(sp);
    const site = actor.siteName;
    if (!target) return refuseIn(rc, reader, new DomainError("NOT_FOUND", `That material was not found at ${site}.`, {}, { key: "exportMaterialNotFound", values: { site } }));
    const format = exportFormat(sp);
    if (!format) return refuseIn(rc, reader, formatRefused());
    const db = await getDb();
    const input = { target, currentOnly: one(sp, "current") === "1", topLevelOnly: one(sp, "top") === "1", format };
    return answerIn(rc, reader, async () => fileResponse(await exportWhereUsed(db, actor, input, new Date(), streamFailureLogger("where-used export", rc))));
  });
}
