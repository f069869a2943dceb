import { publishedSchemas, MESSAGE_TYPES } from "@/server/integrations/erp/messages";

export const dynamic = "force-static";

/** The published JSON Schema of every inbound message type (envelope + payload). */
export function GET() {
  return Response.json({ version: "v1", types: MESSAGE_TYPES, schemas: publishedSchemas() });
}
