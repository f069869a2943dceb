/**
 * How a refused sign-in travels to the browser. next-auth v5 puts the `code` of a CredentialsSignin error into the
 * `code` query parameter of the URL it returns to `signIn(..., { redirect: false })`; we put the domain code and the
 * operator-words message there, and the sign-in form reads them back. Pure: imported by the server and the browser.
 */
export const SIGN_IN_ERROR_CODES = ["SIGN_IN_FAILED", "SIGN_IN_THROTTLED", "ACCOUNT_DISABLED", "FORBIDDEN", "VALIDATION_FAILED", "SECRET_CHANGE_REQUIRED", "UNAVAILABLE"] as const;
export type SignInErrorCode = (typeof SIGN_IN_ERROR_CODES)[number];

export type SignInRefusal = { code: SignInErrorCode; message: string };
/**
 * What the form shows: a refusal from the server, or "UNAVAILABLE" when sign-in itself failed (the server could not
 * check the credentials: its message then carries the correlation id of the server's log line; or the network failed).
 */
export type SignInProblem = { code: SignInErrorCode; message: string };

const SEPARATOR = ":";

export function encodeSignInRefusal(r: SignInRefusal): string {
  return `${r.code}${SEPARATOR}${r.message}`;
}

export const GENERIC_SIGN_IN_FAILURE = "Sign-in failed. Check what you typed and try again.";
export const SIGN_IN_UNAVAILABLE = "Sign-in is not available right now. Try again in a minute, or call your supervisor.";

/**
 * Read the result of `signIn(provider, { redirect: false })`: `error` is next-auth's error type ("CredentialsSignin"
 * for a refusal, "Configuration" when the server failed), `code` what the server put there.
 */
export function decodeSignInRefusal(error: string | undefined, code: string | undefined): SignInProblem {
  if (error === "CredentialsSignin" && code) {
    const at = code.indexOf(SEPARATOR);
    const head = at > 0 ? code.slice(0, at) : code;
    const message = at > 0 ? code.slice(at + 1).trim() : "";
    const known = (SIGN_IN_ERROR_CODES as readonly string[]).includes(head);
    if (known && message) return { code: head as SignInErrorCode, message };
    return { code: "SIGN_IN_FAILED", message: GENERIC_SIGN_IN_FAILURE };
  }
  if (error === "CredentialsSignin") return { code: "SIGN_IN_FAILED", message: GENERIC_SIGN_IN_FAILURE };
  return { code: "UNAVAILABLE", message: SIGN_IN_UNAVAILABLE };
}
