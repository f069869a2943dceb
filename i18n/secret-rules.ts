/*
 * The password and PIN rules' sentences (server/domain/auth/password-policy.ts, pin-policy.ts) by their English words:
 * the key under signIn.refusals.policy and its values, so a rule's reason reads in the reader's language wherever it
 * is shown (the sign-in page, the badge import). Pure. server/auth/sign-in-words.test.ts walks every rule, so a
 * reworded rule fails there instead of reaching French readers in English.
 */
const RULES: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^A password has at least (\d+) characters\.$/, "passwordMin", (m) => ({ min: m[1]! })],
  [/^A password has at most (\d+) characters\.$/, "passwordMax", (m) => ({ max: m[1]! })],
  [/^A password cannot be one character repeated\.$/, "passwordRepeated", () => ({})],
  [/^A password cannot be the user name\.$/, "passwordIsUsername", () => ({})],
  [/^A PIN is digits only\.$/, "pinDigits", () => ({})],
  [/^A PIN has at least (\d+) digits here\.$/, "pinMin", (m) => ({ min: m[1]! })],
  [/^A PIN has at most (\d+) digits\.$/, "pinMax", (m) => ({ max: m[1]! })],
  [/^A PIN cannot be one digit repeated\.$/, "pinRepeated", () => ({})],
];

/** The catalog key (signIn.refusals.policy.<key>) and values of a rule's sentence; null when it is not one. */
export function secretRuleKey(why: string): { key: string; values: Record<string, string> } | null {
  for (const [pattern, key, values] of RULES) {
    const m = pattern.exec(why);
    if (m) return { key, values: values(m) };
  }
  return null;
}
