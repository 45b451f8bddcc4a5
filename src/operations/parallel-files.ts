/**
 * How many files of a folder move at once. A small file costs round trips (its upload URL or download URL, its
 * node), which batch into one request when many files ask at the same time (api/client.ts), so many go together:
 * 1,000 files of 1 KiB went up at 176 files/s four at a time and 326 files/s thirty-two at a time here
 * (bench/transfer-process.js). A big file costs bandwidth and buffers (its connections × the piece size), so few go.
 */
export const SMALL_FILE_SIZE = 1048576
export const PARALLEL_SMALL_FILES = 32
export const PARALLEL_LARGE_FILES = 4

/**
 * Runs `fn` over `items`: the small ones (below SMALL_FILE_SIZE) PARALLEL_SMALL_FILES at a time, the others
 * PARALLEL_LARGE_FILES at a time, both at once; `parallel`, when given, is one limit for all. The first failure
 * rejects once everything started has settled.
 */
export async function runBySize<T>(items: T[], sizeOf: (item: T) => number, parallel: number | undefined, fn: (item: T) => Promise<unknown>): Promise<void> {
  if (parallel !== undefined) return runLimited(items, parallel, fn)
  const small = items.filter((item) => sizeOf(item) < SMALL_FILE_SIZE)
  const large = items.filter((item) => sizeOf(item) >= SMALL_FILE_SIZE)
  const results = await Promise.allSettled([runLimited(small, PARALLEL_SMALL_FILES, fn), runLimited(large, PARALLEL_LARGE_FILES, fn)])
  for (const result of results) if (result.status === 'rejected') throw result.reason
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects once all settle. */
export async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  let failure: unknown
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (error) {
        failure ??= error
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  if (failure !== undefined) throw failure
}
