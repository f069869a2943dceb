import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "traceline-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm run -s scan` with the file as stdin, as an operator or a script would. */
function runScan(lines: string[], ...args: string[]) {
  const file = path.join(dir, `in-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
  const fd = openSync(file, "r");
  try {
    const res = spawnSync("npm", ["run", "-s", "scan", "--", ...args], {
      cwd: process.cwd(),
      stdio: [fd, "pipe", "pipe"],
      encoding: "utf8",
      timeout: 60_000,
    });
    return { status: res.status, stderr: res.stderr, out: res.stdout.split("\n").filter((l) => l !== "") };
  } finally {
    closeSync(fd);
  }
}

describe("npm run -s scan < FILE", () => {
  it("writes one JSON object per input line, and keeps going after a line that is not a JSON string", () => {
    const { status, out, stderr } = runScan(
      [
        JSON.stringify("]d2010950600013435210LOT-4711\u001d17291231\u001d21SN000123"),
        "this is not JSON",
        JSON.stringify("[)>\u001eDD\u001dMFR 0CVA5\u001dSER 674A36458\u001e\u0004"),
        "42",
        JSON.stringify("(01)09506000134353"),
        JSON.stringify("[)>\u001e05\u001d800406141419999960MH80312\u001d21MH80312\u001d950614141\u001d24099999\u001e\u0004"),
        JSON.stringify("PN-7734-A1"),
      ],
      "--today",
      "2026-07-01",
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(out).toHaveLength(7);
    const rows = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).toEqual({
      valid: true,
      syntax: "GS1",
      fields: { "01": "09506000134352", "10": "LOT-4711", "17": "291231", "21": "SN000123" },
      derived: { "17_iso": "2029-12-31" },
    });
    expect(rows[1]).toEqual({ valid: false, syntax: "none", fields: {}, derived: {}, error: "line 2 is not a JSON string" });
    expect(rows[2]).toEqual({
      valid: true,
      syntax: "ISO15434-DD (DoD TEI collaborative format)",
      fields: { MFR: "0CVA5", SER: "674A36458" },
      derived: { UII: "D0CVA5674A36458", construct: "1", IAC: "D" },
    });
    expect(rows[3]).toEqual({ valid: false, syntax: "none", fields: {}, derived: {}, error: "line 4 is not a JSON string" });
    expect(rows[4]).toMatchObject({ valid: false, syntax: "GS1", fields: {}, derived: {} });
    expect(rows[4]?.error).toMatch(/\(01\).*check digit/);
    expect(rows[5]).toMatchObject({ valid: true, syntax: "ISO15434-05 (GS1 AI)" });
    expect(rows[5]?.warnings).toHaveLength(2);
    expect(rows[6]).toEqual({ valid: true, syntax: "plain-text", fields: { text: "PN-7734-A1" }, derived: {} });
    expect(Object.keys(rows[0] ?? {})).toEqual(["valid", "syntax", "fields", "derived"]);
  });

  it("uses --today for the GS1 century rule", () => {
    const lines = [JSON.stringify("(01)09506000134352(17)770101")];
    expect(JSON.parse(runScan(lines, "--today", "2026-07-01").out[0] ?? "{}").derived).toEqual({ "17_iso": "1977-01-01" });
    expect(JSON.parse(runScan(lines, "--today", "2030-07-01").out[0] ?? "{}").derived).toEqual({ "17_iso": "2077-01-01" });
  });

  it("refuses a malformed --today", () => {
    const { status, stderr } = runScan([JSON.stringify("X")], "--today", "July");
    expect(status).toBe(2);
    expect(stderr).toMatch(/--today must be a date YYYY-MM-DD/);
  });
});
