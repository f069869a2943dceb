import "server-only";
import { z } from "zod";

/** An electronic signature's re-authentication as a signed mutation receives it (server/services/quality/sign-record.ts). */
export const signatureInput = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});
