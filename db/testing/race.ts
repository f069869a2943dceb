import { DomainError } from "@/server/domain/shared/errors";

/**
 * What a racing call failed with, for race-test assertions and messages: the domain code of a refusal, or the
 * SQLSTATE of a database error (postgres-js puts it on the error or on its cause), never a stringified error that hides
 * which of the two it was (a deadlock, 40P01, must read as one).
 */
export function failureCode(e: unknown): string {
  if (e instanceof DomainError) return e.code;
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; message?: string };
  return err?.code ? `SQLSTATE ${err.code}` : `ERROR ${String(err?.message ?? e)}`;
}

/** A small deterministic generator (mulberry32): a failing race can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Run the calls, each after its own delay (a staggered race), and sort the outcomes: answers, and failure codes. */
export async function staggered<T>(calls: { delayMs: number; run: () => Promise<T> }[]): Promise<{ ok: T[]; failed: string[] }> {
  const results = await Promise.allSettled(calls.map(async (c) => (await sleep(c.delayMs), c.run())));
  return {
    ok: results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])),
    failed: results.flatMap((r) => (r.status === "rejected" ? [failureCode(r.reason)] : [])),
  };
}
