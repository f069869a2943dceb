/**
 * Tools and gauges at the station: an operation may require tools by class; the operator scans each tool used. A
 * scanned tool must be in the register, in service, calibrated and not overdue, and not on hold; every required class
 * needs one scanned tool. The accepted tools are recorded on the install's genealogy edge and on the operation's
 * readings. Pure: time and the site's zone are passed in.
 */
import { DomainError } from "../shared/errors";
import { localDate } from "../kitting/dates";

export type ToolFacts = {
  id: string;
  code: string;
  toolClass: string;
  description: string;
  status: "in_service" | "out_of_service";
  calibrationDueAt: Date | null;
  holdReason: string | null;
};

/** Why a tool may not be used now (null: usable). */
export function toolRefusal(tool: ToolFacts, now: Date, timeZone: string): string | null {
  if (tool.holdReason !== null) return `tool ${tool.code} is on hold: ${tool.holdReason}`;
  if (tool.status !== "in_service") return `tool ${tool.code} is out of service`;
  if (tool.calibrationDueAt === null) return `tool ${tool.code} has no calibration on record`;
  if (tool.calibrationDueAt <= now) return `the calibration of tool ${tool.code} was due on ${localDate(tool.calibrationDueAt, timeZone)}`;
  return null;
}

/**
 * The tools of an action: each scanned code known and usable, each required class covered. Returns the accepted
 * tools in the order scanned (duplicates once).
 */
export function checkTools(
  operation: { seq: number; requiredToolClasses: readonly string[] },
  scanned: readonly string[],
  found: readonly ToolFacts[],
  now: Date,
  timeZone: string,
): ToolFacts[] {
  const codes = [...new Set(scanned.map((c) => c.trim()).filter((c) => c !== ""))];
  const byCode = new Map(found.map((t) => [t.code.toUpperCase(), t]));
  const tools: ToolFacts[] = [];
  for (const code of codes) {
    const tool = byCode.get(code.toUpperCase());
    if (!tool) throw new DomainError("TOOL_NOT_USABLE", `Tool ${code} is not in the tool register of this site.`, { toolCode: code });
    const why = toolRefusal(tool, now, timeZone);
    if (why) throw new DomainError("TOOL_NOT_USABLE", `${why.charAt(0).toUpperCase()}${why.slice(1)} (class ${tool.toolClass}).`, { toolCode: tool.code, reason: why });
    tools.push(tool);
  }
  const missing = [...new Set(operation.requiredToolClasses)].filter((cls) => !tools.some((t) => t.toolClass === cls));
  if (missing.length > 0) {
    throw new DomainError(
      "TOOL_REQUIRED",
      `Operation ${operation.seq} requires a calibrated tool of class ${missing.join(", ")}, and none was scanned.`,
      { operationSeq: operation.seq, missingClasses: missing },
    );
  }
  return tools;
}
