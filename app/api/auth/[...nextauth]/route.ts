import type { NextRequest } from "next/server";
import { apiRoute } from "@/server/api/route-answers";
import { handlers } from "@/server/auth";

/** next-auth's handlers, with X-Correlation-Id, the security headers, and failures answered without details. */
export const GET = apiRoute("next-auth", (req) => handlers.GET(req as NextRequest));
export const POST = apiRoute("next-auth", (req) => handlers.POST(req as NextRequest));
