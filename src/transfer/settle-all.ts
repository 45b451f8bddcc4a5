/**
 * Like Promise.all, but waits for every promise to settle before rejecting with the first failure. Work that
 * shares a buffer (MAC and disk write of one piece) must all have stopped before the buffer is reused.
 */
export async function settleAll<T extends readonly unknown[]>(promises: [...{[K in keyof T]: Promise<T[K]>}]): Promise<T> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T
}
