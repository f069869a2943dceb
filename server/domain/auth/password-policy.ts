/**
 * Office passwords (pure): at least 12 characters, at most 1024, not the user name, not one character repeated. Checked
 * when an administrator sets or resets one and when the user chooses their own at the next sign-in.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** Why a password cannot be used, in words for the person choosing it, or null when it can. */
export function passwordProblem(password: string, username: string | null): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `A password has at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `A password has at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (/^(.)\1+$/su.test(password)) return "A password cannot be one character repeated.";
  if (username && password.trim().toLowerCase() === username.trim().toLowerCase()) return "A password cannot be the user name.";
  return null;
}
