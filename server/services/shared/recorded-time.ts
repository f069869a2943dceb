/**
 * The time a command records (an install, a signed action). "commit": the database's clock, read inside the command's
 * transaction after its locks (server/repos/hold-locks.ts), as the app's requests do: two commands that lock the same
 * thing are ordered by their locks, and their recorded times in the same order (a hold placed after an install it did
 * not stop carries a later time; re-authentication, which takes 100+ ms, happens before). A Date: that time, as given
 * (tests on the one test clock, seeds).
 */
export type RecordedTime = Date | "commit";

/** The time to judge a command by before its transaction (a scan's dates, throttling): the given Date, else now. */
export function timeBefore(t: RecordedTime): Date {
  return t === "commit" ? new Date() : t;
}

/** The time a command records: the given Date, or the database's clock read after its locks. */
export function timeRecorded(t: RecordedTime, afterLocks: Date): Date {
  return t === "commit" ? afterLocks : t;
}
