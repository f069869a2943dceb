import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAuthSecret } from "./auth-secret";

describe("the session secret", () => {
  let dir: string;
  const saved = { AUTH_SECRET: process.env.AUTH_SECRET, TRACELINE_AUTH_SECRET_FILE: process.env.TRACELINE_AUTH_SECRET_FILE };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tl-secret-"));
    delete process.env.AUTH_SECRET;
    process.env.TRACELINE_AUTH_SECRET_FILE = path.join(dir, "nested", "auth-secret");
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("is generated once without configuration, kept private, and the same on every later start", () => {
    const first = resolveAuthSecret();
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = process.env.TRACELINE_AUTH_SECRET_FILE!;
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(resolveAuthSecret()).toBe(first);
  });

  it("differs between installations", () => {
    const first = resolveAuthSecret();
    rmSync(process.env.TRACELINE_AUTH_SECRET_FILE!);
    expect(resolveAuthSecret()).not.toBe(first);
  });

  it("comes from AUTH_SECRET when set, which must be long enough", () => {
    process.env.AUTH_SECRET = "an-operator-provided-secret-of-enough-length";
    expect(resolveAuthSecret()).toBe("an-operator-provided-secret-of-enough-length");
    process.env.AUTH_SECRET = "short";
    expect(() => resolveAuthSecret()).toThrow(/at least 32 characters/);
  });

  it("refuses a damaged secret file with what to do", () => {
    resolveAuthSecret();
    writeFileSync(process.env.TRACELINE_AUTH_SECRET_FILE!, "x\n");
    expect(() => resolveAuthSecret()).toThrow(/Delete the file to generate a new one, or set AUTH_SECRET/);
  });
});
