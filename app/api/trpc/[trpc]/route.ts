import { createContext } from "@/server/api/context";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { apiRoute } from "@/server/api/route-answers";

/** The tRPC endpoint (server/api/trpc-http.ts); every answer carries X-Correlation-Id and the security headers. */
const handler = apiRoute("tRPC", (req, rc) => handleTrpcRequest(req, rc.correlationId, () => createContext({ headers: req.headers, correlationId: rc.correlationId })));

export { handler as GET, handler as POST };
