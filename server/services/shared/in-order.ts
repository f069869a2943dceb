import "server-only";

/**
 * Await statements sent together on one transaction's connection. When one fails, the ones after it fail too
 * ("current transaction is aborted"): the error reported is the first one in the order they were given, the cause.
 */
export async function allInOrder<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
