// npm run -s scan < FILE — parse scans: each input line is one JSON string (control characters escaped, e.g.
// "\u001d" for GS); each output line is one JSON object { valid, syntax, fields, derived, error?, warnings? }.
// A line that is not a JSON string gives { valid: false, syntax: "none", ..., error: "line N is not a JSON string" }
// and processing continues. The current date (for the GS1 century rule) is today, or --today YYYY-MM-DD /
// SCAN_TODAY=YYYY-MM-DD.
import { createInterface } from "node:readline";
import { parseScan, type ScanResult } from "../server/domain/scan/parse-scan";

function todayFrom(argv: string[], env: NodeJS.ProcessEnv): Date {
  const flag = argv.findIndex((a) => a === "--today" || a.startsWith("--today="));
  const arg = flag < 0 ? undefined : argv[flag]?.includes("=") ? argv[flag]?.split("=")[1] : argv[flag + 1];
  const value = arg ?? env.SCAN_TODAY;
  if (value === undefined || value === "") return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T12:00:00Z`))) {
    console.error(`--today must be a date YYYY-MM-DD, got "${value}"`);
    process.exit(2);
  }
  return new Date(`${value}T12:00:00Z`);
}

function render(r: ScanResult): string {
  const out: Record<string, unknown> = { valid: r.valid, syntax: r.syntax, fields: r.fields, derived: r.derived };
  if (r.error !== undefined) out.error = r.error;
  if (r.warnings !== undefined) out.warnings = r.warnings;
  return JSON.stringify(out);
}

function scanLine(line: string, lineNo: number, today: Date): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    input = undefined;
  }
  if (typeof input !== "string") {
    return render({ valid: false, syntax: "none", fields: {}, derived: {}, error: `line ${lineNo} is not a JSON string` });
  }
  return render(parseScan(input, { today }));
}

async function main() {
  const today = todayFrom(process.argv.slice(2), process.env);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    process.stdout.write(`${scanLine(line, lineNo, today)}\n`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
