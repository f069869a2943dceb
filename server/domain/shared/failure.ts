/*
 * Failures that are not business refusals (a lost or refused database connection, a deadlock, a value the database
 * cannot take, a bug), classified once for every transport (pure): what the caller is told (a code, words for people,
 * whether to retry). The details (SQL, parameters, stack) go to the server log only, under a correlation id the caller
 * is also given (server/services/shared/failure-log.ts).
 */

export type FailureCode = "DATABASE_UNAVAILABLE" | "DATABASE_CONNECTION_LOST" | "DATABASE_BUSY" | "INVALID_INPUT" | "INTERNAL_ERROR";

export type Failure = {
  code: FailureCode;
  /** HTTP status of the answer. */
  status: 400 | 500 | 503;
  /** Words for people: what happened to what they did, and what to do. Never SQL, a stack or parameters. */
  message: string;
  /** True when the same request may simply be sent again (with the same request id, it takes effect once). */
  retryable: boolean;
};

const FAILURES: Record<FailureCode, Failure> = {
  DATABASE_UNAVAILABLE: {
    code: "DATABASE_UNAVAILABLE",
    status: 503,
    message: "The database did not answer; nothing was recorded. Try again in a moment.",
    retryable: true,
  },
  DATABASE_CONNECTION_LOST: {
    code: "DATABASE_CONNECTION_LOST",
    status: 503,
    message: "The connection to the database was lost; what you did may not have been recorded. Try again: it will be recorded once.",
    retryable: true,
  },
  DATABASE_BUSY: {
    code: "DATABASE_BUSY",
    status: 503,
    message: "The database was busy and did not finish; nothing was recorded. Try again.",
    retryable: true,
  },
  INVALID_INPUT: {
    code: "INVALID_INPUT",
    status: 400,
    message: "Some of what was sent cannot be stored. Check the values and try again.",
    retryable: false,
  },
  INTERNAL_ERROR: {
    code: "INTERNAL_ERROR",
    status: 500,
    message: "Something went wrong on the server; nothing was recorded. If it keeps happening, tell a supervisor.",
    retryable: false,
  },
};

/** Driver error codes and SQLSTATEs by what they mean for the caller. */
const LOST = new Set(["DATABASE_CONNECTION_LOST"]);
const UNAVAILABLE = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ETIMEDOUT",
  "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "EMBEDDED_DATABASE_BUSY",
  "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
  "08000", "08001", "08003", "08004", "08006", "08P01", // connection exceptions
  "53000", "53100", "53200", "53300", // insufficient resources, too many connections
]);
const BUSY = new Set(["40P01", "40001", "55P03", "57014"]); // deadlock, serialization failure, lock not available, statement timeout
const BAD_VALUE = new Set(["22021", "22P05", "22001", "22003", "22P02", "22007", "22008", "54000"]);

/** The codes along an error's cause chain (driver codes, SQLSTATEs, DATABASE_CONNECTION_LOST), outermost first. */
function codesOf(e: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = e;
  for (let i = 0; i < 8 && current && typeof current === "object"; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    const errors = (current as { errors?: unknown }).errors; // AggregateError (e.g. every address refused)
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** What the caller is told about an unexpected error (anything but a business refusal). */
export function classifyFailure(e: unknown): Failure {
  const codes = codesOf(e);
  if (codes.some((c) => LOST.has(c))) return FAILURES.DATABASE_CONNECTION_LOST;
  if (codes.some((c) => BUSY.has(c))) return FAILURES.DATABASE_BUSY;
  if (codes.some((c) => UNAVAILABLE.has(c))) return FAILURES.DATABASE_UNAVAILABLE;
  if (codes.some((c) => BAD_VALUE.has(c))) return FAILURES.INVALID_INPUT;
  return FAILURES.INTERNAL_ERROR;
}

export function failureOf(code: FailureCode): Failure {
  return FAILURES[code];
}
