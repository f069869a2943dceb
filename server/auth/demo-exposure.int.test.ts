import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { activeDemoCredentials, demoExposureWarning, isLoopbackHost } from "./demo-exposure";

const t = useTestDatabase("demo");

describe("the demo-credentials warning at start-up", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.20.30.40", false],
    ["traceline.plant.example", false],
  ])("%s is loopback: %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it("finds the demo plant's published password, PIN and ERP key working in a demo database", async () => {
    expect(await activeDemoCredentials(t.db)).toEqual(['the demo password "demo-password"', 'the demo badge PIN "1234"', "the published demo ERP API key"]);
  });

  it("finds none once the demo key is revoked and the demo users' secrets changed", async () => {
    await inRollback(t.db, async (tx) => {
      await tx.execute(sql`update erp_connections set revoked_at = now()`);
      await tx.execute(sql`update users set password_hash = case when password_hash is null then null else 'x' end, pin_hash = case when pin_hash is null then null else 'x' end`);
      expect(await activeDemoCredentials(tx)).toEqual([]);
    });
  });

  it("warns when demo credentials work on a non-loopback address or an unknown one, and not on 127.0.0.1", () => {
    const active = ["the published demo ERP API key"];
    expect(demoExposureWarning("127.0.0.1", active)).toBeNull();
    expect(demoExposureWarning("0.0.0.0", [])).toBeNull();
    const warning = demoExposureWarning("0.0.0.0", active)!;
    expect(warning).toMatch(/^WARNING: demo credentials are active and Traceline is listening on 0\.0\.0\.0, which other machines can reach\./);
    expect(warning).toContain("the published demo ERP API key");
    expect(warning).toContain("unset HOST / TRACELINE_HOST");
    expect(demoExposureWarning(null, active)).toMatch(/not started with `npm start`/);
  });
});
