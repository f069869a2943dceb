import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES, QUALITY_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { compareDesignToBuilt, type DesignComparisonRow } from "@/server/domain/genealogy/as-designed";
import { searchTerms } from "@/server/domain/genealogy/search-terms";
import { findSerialItem, findSerialsByNumber, getAsBuilt, listWorkOrderUnits } from "@/server/repos/genealogy-read";
import { loadUnitDesigns } from "@/server/repos/genealogy-design";
import { holdMarkersOf } from "@/server/repos/containment";
import { readAsBuiltLevel, readAsBuiltUpperLevels } from "@/server/repos/genealogy-levels";
import { findByTerms, suggestMatches } from "@/server/repos/genealogy-search";
import { describeTarget, traceWhereUsed, type WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import { listRecentInstalls } from "@/server/repos/quality-overview";

const whereUsedTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lot"), id: z.guid() }),
  z.object({ kind: z.literal("serial"), id: z.guid() }),
  z.object({ kind: z.literal("part_revision"), id: z.guid() }),
  z.object({ kind: z.literal("part"), id: z.guid() }),
  z.object({ kind: z.literal("manufacturer"), id: z.guid() }),
  z.object({ kind: z.literal("supplier_lot"), supplierLot: z.string().trim().min(1).max(100) }),
]);

const TARGET_WORDS: Record<WhereUsedTarget["kind"], string> = {
  lot: "That lot",
  serial: "That serial",
  part_revision: "That part revision",
  part: "That part",
  manufacturer: "That manufacturer",
  supplier_lot: "That supplier lot",
};

/** Genealogy reads: search, as-built (backward), as-designed vs as-built, where-used (forward), recent installs. */
export const genealogyRouter = createRouter({
  /** Serials of the active site with this exact serial number (none for a serial of another site). */
  findSerial: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serial: z.string().trim().min(1).max(100) }))
    .query(({ ctx, input }) => findSerialsByNumber(ctx.db, ctx.actor.siteId, input.serial)),

  /**
   * Search any identifier, typed or scanned: unit or component serial, lot, supplier lot, part number (and revision),
   * work order, manufacturer. Nothing found is an answer (empty hits, with close matches as suggestions), not an error.
   */
  search: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ q: z.string().min(1).max(500) }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const q = input.q.trim();
      if (q === "") return { query: q, syntax: "empty", scanError: null, hits: [], suggestions: [] };
      const terms = searchTerms(q, ctx.now());
      const hits = await findByTerms(ctx.db, siteId, terms);
      const suggestions = hits.length === 0 ? await suggestMatches(ctx.db, siteId, terms.suggestFrom) : [];
      return { query: q, syntax: terms.syntax, scanError: terms.scanError, hits, suggestions };
    }),

  /** The units (serials to open) of a work order found by search; empty for a work order of another site. */
  workOrderUnits: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ workOrderId: z.guid() }))
    .query(({ ctx, input }) => listWorkOrderUnits(ctx.db, ctx.actor.siteId, input.workOrderId)),

  /**
   * The as-built as the screen shows it: the components installed directly in a serial (the unit, or any serial in it
   * that the user opens), a page of them, each with the exact number of component records below it, as it stood at
   * `at` (default now); components removed in rework are included and marked unless `includeRemoved` is false. Also the
   * totals of the whole tree below the serial. The whole tree is only in the exports (streamed files).
   */
  asBuilt: siteProcedure(AREA_ROLES.genealogy)
    .input(
      z.object({
        serialItemId: z.guid(),
        at: z.date().optional(),
        includeRemoved: z.boolean().default(true),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(500),
      }),
    )
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const at = input.at ?? ctx.now();
      // both at once (two pool connections); the level read is site-scoped, so a serial of another site reads nothing
      const [item, level] = await Promise.all([
        findSerialItem(ctx.db, siteId, input.serialItemId),
        readAsBuiltLevel(ctx.db, siteId, [input.serialItemId], { at, includeRemoved: input.includeRemoved, offset: input.offset, limit: input.limit }),
      ]);
      if (!item) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { serialItemId: input.serialItemId });
      // the active holds on the page's material (lot, serial, or untracked part revision), each with its reason and id
      const held = await holdMarkersOf(ctx.db, siteId, {
        lotIds: [...new Set(level.nodes.flatMap((n) => (n.lotId ? [n.lotId] : [])))],
        serialItemIds: [...new Set(level.nodes.flatMap((n) => (n.serialItemId ? [n.serialItemId] : [])))],
        partRevisionIds: [...new Set(level.nodes.flatMap((n) => (!n.lotId && !n.serialItemId ? [n.partRevisionId] : [])))],
      });
      const nodes = level.nodes.map((n) => ({ ...n, holds: held.get(n.serialItemId ? `serial:${n.serialItemId}` : n.lotId ? `lot:${n.lotId}` : `rev:${n.partRevisionId}`) ?? [] }));
      return { item, at, includeRemoved: input.includeRemoved, level: { ...level, nodes } };
    }),

  /** The upper levels of the as-built, breadth first, up to `cap` nodes (the graph view), with the whole tree's size. */
  asBuiltUpperLevels: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serialItemId: z.guid(), at: z.date().optional(), includeRemoved: z.boolean().default(true), cap: z.number().int().min(1).max(500).default(250) }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const item = await findSerialItem(ctx.db, siteId, input.serialItemId);
      if (!item) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { serialItemId: input.serialItemId });
      const at = input.at ?? ctx.now();
      return { item, at, ...(await readAsBuiltUpperLevels(ctx.db, siteId, item.serialItemId, { at, includeRemoved: input.includeRemoved, cap: input.cap })) };
    }),

  /**
   * As-designed vs as-built for the unit and every assembly in it: each level's frozen work-order BOM (effective for the
   * unit's serial) against what is installed at `at`: missing, extra, substituted revision, not yet due.
   */
  asDesigned: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serialItemId: z.guid(), at: z.date().optional() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const at = input.at ?? ctx.now();
      const item = await findSerialItem(ctx.db, siteId, input.serialItemId);
      if (!item) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { serialItemId: input.serialItemId });
      const tree = await getAsBuilt(ctx.db, siteId, item.serialItemId, { at, includeRemoved: false });
      const assemblies = [{ serialItemId: item.serialItemId, depth: 0 }];
      for (const n of tree.nodes) if (n.serialItemId) assemblies.push({ serialItemId: n.serialItemId, depth: n.depth });
      const designs = await loadUnitDesigns(ctx.db, siteId, assemblies.map((a) => a.serialItemId), at);
      const builtUnder = new Map<string, typeof tree.nodes>();
      for (const n of tree.nodes) {
        const list = builtUnder.get(n.parentSerialItemId);
        if (list) list.push(n);
        else builtUnder.set(n.parentSerialItemId, [n]);
      }
      const levels: {
        serialItemId: string;
        serial: string;
        partNumber: string;
        revision: string;
        workOrderNumber: string;
        depth: number;
        rows: (DesignComparisonRow & { substitutionReasons: string[] })[];
        deviations: number;
      }[] = [];
      for (const a of assemblies) {
        const d = designs.get(a.serialItemId);
        if (!d) continue; // a bought-in serial: no work order, no design here
        const built = builtUnder.get(a.serialItemId) ?? [];
        const compared = compareDesignToBuilt({
          serial: d.serial,
          onDate: d.releasedOn,
          lines: d.lines,
          operationsDone: d.operationsDone,
          built: built.map((n) => ({
            partId: n.partId,
            partNumber: n.partNumber,
            revisionId: n.partRevisionId,
            revision: n.revision,
            quantity: n.quantity,
          })),
        });
        // A substituted line shows the reasons recorded with the installs of other revisions of its part.
        const rows = compared.map((r) => ({
          ...r,
          substitutionReasons:
            r.verdict === "substituted"
              ? [...new Set(built.filter((n) => n.partNumber === r.partNumber && n.revision !== r.designedRevision && n.substitutionReason).map((n) => n.substitutionReason!))]
              : [],
        }));
        levels.push({
          serialItemId: a.serialItemId,
          serial: d.serial,
          partNumber: d.partNumber,
          revision: d.revision,
          workOrderNumber: d.workOrderNumber,
          depth: a.depth,
          rows,
          deviations: rows.filter((r) => r.verdict === "missing" || r.verdict === "extra" || r.verdict === "substituted").length,
        });
      }
      return { item, at, levels };
    }),

  /**
   * Where-used (forward trace, recall scope): every unit that contains the lot, serial, part revision, part,
   * manufacturer's material or supplier lot at any depth, with status, location and path. Paged with an exact total.
   */
  whereUsed: siteProcedure(AREA_ROLES.genealogy)
    .input(
      z.object({
        target: whereUsedTarget,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
        currentOnly: z.boolean().default(false),
        topLevelOnly: z.boolean().default(false),
      }),
    )
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const target = input.target as WhereUsedTarget;
      // both at once (two pool connections): the description is one index probe, the trace the real work
      const [described, result] = await Promise.all([
        describeTarget(ctx.db, siteId, target),
        traceWhereUsed(ctx.db, siteId, target, { offset: input.offset, limit: input.limit, currentOnly: input.currentOnly, topLevelOnly: input.topLevelOnly }),
      ]);
      if (!described) throw new DomainError("NOT_FOUND", `${TARGET_WORDS[target.kind]} does not exist at this site.`, { target });
      return { target: described, ...result };
    }),

  recentInstalls: siteProcedure(QUALITY_ROLES)
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => listRecentInstalls(ctx.db, ctx.actor.siteId, input.limit)),
});
