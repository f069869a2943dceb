import { apiRoute } from "@/server/api/route-answers";
import { ERP_B2MML_MAX_BODY_BYTES, ERP_JSON_MAX_BODY_BYTES } from "@/server/api/erp-input";
import { publishedSchemas, LIMITS, MESSAGE_TYPES } from "@/server/integrations/erp/messages";
import { ERP_MESSAGE_LIMITS, MAX_BATCH } from "@/server/services/erp/receive-messages";

export const dynamic = "force-dynamic";

/**
 * The published JSON Schema of every inbound message type (envelope + payload, with every length and range), and the
 * limits of a request: body size (413 beyond it), messages per batch, and what one message may hold.
 */
export const GET = apiRoute("ERP schema", async () =>
  Response.json({
    version: "v1",
    types: MESSAGE_TYPES,
    limits: {
      maxBodyBytes: ERP_JSON_MAX_BODY_BYTES,
      maxB2mmlBodyBytes: ERP_B2MML_MAX_BODY_BYTES,
      maxMessagesPerBatch: MAX_BATCH,
      maxStringLength: ERP_MESSAGE_LIMITS.maxStringLength,
      maxNesting: ERP_MESSAGE_LIMITS.maxDepth,
      ...LIMITS,
    },
    schemas: publishedSchemas(),
  }),
);
