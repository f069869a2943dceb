import { apiRoute } from "@/server/api/route-answers";
import { publishedSchemas, MESSAGE_TYPES } from "@/server/integrations/erp/messages";

export const dynamic = "force-dynamic";

/** The published JSON Schema of every inbound message type (envelope + payload). */
export const GET = apiRoute("ERP schema", async () => Response.json({ version: "v1", types: MESSAGE_TYPES, schemas: publishedSchemas() }));
