import type { NextRequest } from "next/server";
import { apiRoute } from "@/server/api/route-answers";
import { handlers } from "@/server/auth";
import { checkedSessionAnswer } from "@/server/auth/session-endpoint";

/**
 * next-auth's handlers, with X-Correlation-Id, the security headers, failures answered without details, and the
 * session endpoint checked against the database (a signed-out or idle session answers null).
 */
export const GET = apiRoute("next-auth", async (req) => checkedSessionAnswer(req, await handlers.GET(req as NextRequest), new Date()));
export const POST = apiRoute("next-auth", (req) => handlers.POST(req as NextRequest));
