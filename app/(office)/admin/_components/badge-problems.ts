import { secretRuleKey } from "@/i18n/secret-rules";

/*
 * The badge import's problems (server/domain/admin/badge-import.ts, server/services/admin/manage-users.ts) arrive as
 * English sentences in the refusal's details; the form shows each in the reader's language by its catalog key
 * (admin.badges.problems, and signIn.refusals.policy for a PIN rule). Pure. badge-problems.test.ts runs the import on
 * bad files, so a reworded problem fails there instead of reaching French readers in English; one not found here is
 * shown as it came.
 */
type Values = Record<string, string | number>;
const list = (text: string) => text.split(", ").length;

const PROBLEMS: [RegExp, string, (m: RegExpExecArray) => Values][] = [
  [/^The file is larger than (\d+) KB: split it\.$/, "tooLarge", (m) => ({ kb: m[1]! })],
  [/^The file is empty: its first line names the columns (.+)\.$/, "empty", (m) => ({ columns: m[1]! })],
  [/^The header has no "(.+)" column \(expected: (.+)\)\.$/, "missingColumn", (m) => ({ column: m[1]!, columns: m[2]! })],
  [/^Unknown columns?: (.+)\.$/, "unknownColumns", (m) => ({ count: list(m[1]!), columns: m[1]! })],
  [/^The file has a header but no rows\.$/, "noRows", () => ({})],
  [/^At most (\d+) rows per file \((\d+) given\): split it\.$/, "tooManyRows", (m) => ({ max: m[1]!, given: m[2]! })],
  [/^This row has (\d+) values; the header has (\d+)\.$/, "rowLength", (m) => ({ values: m[1]!, header: m[2]! })],
  [/^The name is missing\.$/, "nameMissing", () => ({})],
  [/^The name is at most 100 characters\.$/, "nameTooLong", () => ({})],
  [/^The name has control characters\.$/, "nameControl", () => ({})],
  [/^The badge id is missing\.$/, "badgeMissing", () => ({})],
  [/^A badge id is 1 to 64 printable characters, no spaces\.$/, "badgeInvalid", () => ({})],
  [/^Badge (.+) is also on line (\d+)\.$/, "badgeDuplicate", (m) => ({ badge: m[1]!, line: m[2]! })],
  [/^Badge (.+) is already given to (.+)\.$/, "badgeTaken", (m) => ({ badge: m[1]!, name: m[2]! })],
  [/^Give at least one role \((.+)\)\.$/, "noRoles", (m) => ({ roles: m[1]! })],
  [/^Unknown roles?: (.+) \(known: (.+)\)\.$/, "unknownRoles", (m) => ({ count: list(m[1]!), roles: m[1]!, known: m[2]! })],
];

/** The root catalog key and values of a badge import problem, or null (then it is shown as it came). */
export function badgeProblemText(message: string): { key: string; values: Values } | null {
  const rule = secretRuleKey(message);
  if (rule) return { key: `signIn.refusals.policy.${rule.key}`, values: rule.values };
  for (const [pattern, key, values] of PROBLEMS) {
    const m = pattern.exec(message);
    if (m) return { key: `admin.badges.problems.${key}`, values: values(m) };
  }
  return null;
}
