import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where the generated secret lives when AUTH_SECRET is not set (next to the embedded database, git-ignored). */
export function authSecretFile(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.TRACELINE_AUTH_SECRET_FILE ?? path.join(process.cwd(), ".data", "auth-secret"));
}

const MIN_LENGTH = 32;

/**
 * The key that encrypts session tokens: AUTH_SECRET when set (required when several app instances share sessions),
 * else a random secret generated once and kept in .data/auth-secret, so the quick start needs no configuration and
 * sessions survive restarts. Never a fixed string: every installation gets its own.
 */
export function resolveAuthSecret(): string {
  const fromEnv = process.env.AUTH_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < MIN_LENGTH) throw new Error(`AUTH_SECRET must be at least ${MIN_LENGTH} characters (try: openssl rand -base64 32).`);
    return fromEnv;
  }
  const file = authSecretFile();
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(/*turbopackIgnore: true*/ file)) {
    // Written whole to a private file, then linked into place: link fails if the file exists, so when two processes
    // start at once exactly one secret wins, and nobody ever reads a half-written file.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  const stored = readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
  if (stored.length < MIN_LENGTH) {
    throw new Error(`The session secret in ${file} is missing or too short. Delete the file to generate a new one, or set AUTH_SECRET.`);
  }
  return stored;
}

let kept: string | undefined;

/** resolveAuthSecret, read once per process (every request needs it; the secret does not change while the app runs). */
export function authSecret(): string {
  kept ??= resolveAuthSecret();
  return kept;
}
