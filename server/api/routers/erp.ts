import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { INBOX_STATUSES } from "@/server/domain/erp/message-scope";
import { OUTBOX_STATUSES } from "@/server/domain/erp/outbound";
import { BOM_TREE_MAX_DEPTH, buildBomTree } from "@/server/domain/erp/bom-tree";
import { listOutboxPage, outboundSummary, outboxMessage, outboxTypes, receiverOfSite } from "@/server/repos/erp-outbox-monitor";
import { countVisibleInboxByStatus, findVisibleMessage, listInboxPage, orderedQueues, visibleInboxTypes } from "@/server/repos/erp-monitor";
import { unapprovedMaterialPolicy } from "@/server/repos/erp-goods-issues";
import { resumeQueue, skipGap } from "@/server/services/erp/ordered-queues";
import { setUnapprovedMaterialPolicy } from "@/server/services/erp/site-policy";
import {
  bomEdgesFrom,
  findPart,
  findRouting,
  findWorkOrderDetail,
  routingsOfPart,
  searchParts,
  searchRoutings,
  searchWorkOrders,
  whereUsed,
} from "@/server/repos/master-data-read";
import { replayFromMonitor } from "@/server/services/erp/replay-from-monitor";
import { replayConfirmation } from "@/server/services/erp/outbound-confirmations";

const day = z.iso.date({ error: "Give dates as YYYY-MM-DD." });
/** Empty means no search (the repos ignore an empty string). */
const search = z.string().trim().max(200, "Search for at most 200 characters.").optional();
const paging = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
};

export const inboxFilterInput = z.object({
  status: z.enum(INBOX_STATUSES).optional(),
  type: z.string().trim().min(1).max(64).optional(),
  search,
  from: day.optional(),
  to: day.optional(),
  ...paging,
});

export const outboxFilterInput = z.object({
  status: z.enum(OUTBOX_STATUSES).optional(),
  type: z.string().trim().min(1).max(64).optional(),
  search,
  ...paging,
});

const uuid = z.uuid({ error: "That is not a valid id." });
const queueAction = z.object({
  objectKey: z.string().trim().min(1).max(200),
  plant: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(3, "Say why (a few words): the audit trail keeps it.").max(500),
});
const WORK_ORDER_STATUSES = ["released", "in_progress", "completed", "closed", "cancelled"] as const;

/** ERP's master data as mirrored: read-only (ERP is the system of record). Routings and work orders are per site. */
const masterDataRouter = createRouter({
  parts: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ search, ...paging }).default({ page: 1, pageSize: 50 }))
    .query(({ ctx, input }) => searchParts(ctx.db, input.search, input)),

  /** One part: revisions, AML, the site's routings for it, and for one revision its multi-level BOM and where it is used. */
  part: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ partId: uuid, revisionId: uuid.optional() }))
    .query(async ({ ctx, input }) => {
      const part = await findPart(ctx.db, input.partId);
      if (!part) throw new DomainError("NOT_FOUND", "That part is not in the master data.");
      const chosen = input.revisionId
        ? part.revisions.find((r) => r.id === input.revisionId)
        : ([...part.revisions].reverse().find((r) => r.status === "released") ?? part.revisions.at(-1));
      if (input.revisionId && !chosen) throw new DomainError("NOT_FOUND", `Part ${part.partNumber} has no such revision.`);
      const routings = await routingsOfPart(ctx.db, ctx.actor.siteId, part.id);
      if (!chosen) return { part, revision: null, bom: null, usedIn: [], routings, maxDepth: BOM_TREE_MAX_DEPTH };
      const bom = buildBomTree(chosen.id, await bomEdgesFrom(ctx.db, chosen.id));
      return { part, revision: chosen, bom, usedIn: await whereUsed(ctx.db, chosen.id), routings, maxDepth: BOM_TREE_MAX_DEPTH };
    }),

  routings: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ search, ...paging }).default({ page: 1, pageSize: 50 }))
    .query(({ ctx, input }) => searchRoutings(ctx.db, ctx.actor.siteId, input.search, input)),

  routing: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ routingId: uuid }))
    .query(async ({ ctx, input }) => {
      const routing = await findRouting(ctx.db, ctx.actor.siteId, input.routingId);
      if (!routing) throw new DomainError("NOT_FOUND", "That routing was not found at this site.");
      return routing;
    }),

  workOrders: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ search, status: z.enum(WORK_ORDER_STATUSES).optional(), ...paging }).default({ page: 1, pageSize: 50 }))
    .query(({ ctx, input }) => searchWorkOrders(ctx.db, ctx.actor.siteId, { search: input.search, status: input.status }, input)),

  workOrder: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ workOrderId: uuid }))
    .query(async ({ ctx, input }) => {
      const wo = await findWorkOrderDetail(ctx.db, ctx.actor.siteId, input.workOrderId);
      if (!wo) throw new DomainError("NOT_FOUND", "That work order was not found at this site.");
      return wo;
    }),
});

/**
 * The ERP interface monitor of the active site: inbound messages (the site's, and enterprise master data) with their
 * outcome and history, outbound confirmations, and ERP's master data as mirrored. Administrators and supervisors
 * read; only administrators replay a refused message.
 */
export const erpRouter = createRouter({
  counts: siteProcedure(AREA_ROLES.erp).query(async ({ ctx }) => ({
    inbox: await countVisibleInboxByStatus(ctx.db, ctx.actor.siteId),
  })),

  /** The outbound side at a glance: counts by status, the delivery lag, keys held by dead letters, and the receiver. */
  outboundSummary: siteProcedure(AREA_ROLES.erp).query(async ({ ctx }) => ({
    ...(await outboundSummary(ctx.db, ctx.actor.siteId)),
    receiver: await receiverOfSite(ctx.db, ctx.actor.siteId),
    types: await outboxTypes(ctx.db, ctx.actor.siteId),
  })),

  /** Outbound confirmations, newest first, filtered, one page at a time, with the exact number that match. */
  confirmations: siteProcedure(AREA_ROLES.erp)
    .input(outboxFilterInput.default({ page: 1, pageSize: 50 }))
    .query(({ ctx, input }) => {
      const { page, pageSize, ...filter } = input;
      return listOutboxPage(ctx.db, ctx.actor.siteId, filter, { page, pageSize });
    }),

  /** One confirmation with its payload and whole history (attempts, answers, acknowledgement, dead letter, replays). */
  confirmation: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ id: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const message = await outboxMessage(ctx.db, ctx.actor.siteId, input.id);
      if (!message) throw new DomainError("NOT_FOUND", "That confirmation was not found at this site.");
      return message;
    }),

  /** Send a dead-lettered confirmation again (after its cause was fixed), with a reason; audited. Administrators only. */
  replayConfirmation: siteProcedure(["admin"])
    .input(z.object({ id: z.number().int().positive(), reason: z.string().trim().min(3, "Say why it is sent again (a few words).").max(500) }))
    .mutation(({ ctx, input }) => replayConfirmation(ctx.db, ctx.actor, input.id, input.reason, ctx.now())),

  /** Inbound messages, newest first, filtered, one page at a time, with the exact number that match. */
  inbox: siteProcedure(AREA_ROLES.erp)
    .input(inboxFilterInput.default({ page: 1, pageSize: 50 }))
    .query(({ ctx, input }) => {
      const { page, pageSize, ...filter } = input;
      return listInboxPage(ctx.db, ctx.actor.siteId, ctx.actor.timeZone, filter, { page, pageSize });
    }),

  /** The message types seen at this site, for the type filter. */
  inboxTypes: siteProcedure(AREA_ROLES.erp).query(({ ctx }) => visibleInboxTypes(ctx.db, ctx.actor.siteId)),

  message: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ id: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const message = await findVisibleMessage(ctx.db, ctx.actor.siteId, input.id);
      if (!message) throw new DomainError("NOT_FOUND", "That ERP message was not found at this site.");
      return message;
    }),

  /** Run a rejected or dead-lettered message again (after its cause was fixed), audited. Administrators only. */
  replay: siteProcedure(["admin"])
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => replayFromMonitor(ctx.db, ctx.actor, input.id, ctx.now())),

  /** Production orders of this site whose messages wait (held, dead-lettered while waiting, or behind a refused version). */
  orderedQueues: siteProcedure(AREA_ROLES.erp).query(({ ctx }) => orderedQueues(ctx.db, ctx.actor.siteId)),

  /** Skip a missing version of an order's sequence (it will not come), with a reason; audited. Administrators only. */
  skipGap: siteProcedure(["admin"])
    .input(queueAction)
    .mutation(({ ctx, input }) => skipGap(ctx.db, ctx.actor, input, ctx.now())),

  /** Apply an order's waiting messages now that the next version is there, with a reason; audited. Administrators only. */
  resumeQueue: siteProcedure(["admin"])
    .input(queueAction)
    .mutation(({ ctx, input }) => resumeQueue(ctx.db, ctx.actor, input, ctx.now())),

  /** What the ERP interface does at this site with material from a disqualified or non-AML manufacturer. */
  unapprovedMaterialPolicy: siteProcedure(AREA_ROLES.erp).query(({ ctx }) => unapprovedMaterialPolicy(ctx.db, ctx.actor.siteId)),

  /** Change it (warn: applied with a warning; refuse: rejected), with a reason; audited. Administrators only. */
  setUnapprovedMaterialPolicy: siteProcedure(["admin"])
    .input(z.object({ policy: z.enum(["warn", "refuse"]), reason: z.string().trim().min(3, "Say why (a few words).").max(500) }))
    .mutation(({ ctx, input }) => setUnapprovedMaterialPolicy(ctx.db, ctx.actor, input.policy, input.reason, ctx.now())),

  masterData: masterDataRouter,
});
