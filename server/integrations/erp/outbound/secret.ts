import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/*
 * The credential Traceline presents to an ERP when it pushes confirmations is stored encrypted (AES-256-GCM, a key
 * derived from the installation's secret): a copy of the database alone does not give it away.
 */

function key(installationSecret: string): Buffer {
  return createHash("sha256").update(`traceline:erp-outbound:${installationSecret}`).digest();
}

export function sealSecret(plain: string, installationSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(installationSecret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
}

/** The clear credential, or null when it cannot be opened (another installation's secret, altered data). */
export function openSecret(sealed: string, installationSecret: string): string | null {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(installationSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
