import {isTransient} from './transfer-errors.js'

export interface RetryOptions {
  /** Further attempts after the first one fails transiently. */
  retries: number
  /** Delay before the first retry; each later one waits 4× longer (with ±25 % jitter). */
  baseDelayMs: number
  signal?: AbortSignal
}

const DEFAULT_RETRIES = 4
const DEFAULT_RETRY_DELAY_MS = 250

/** A transfer's retry settings (TransferTuning `retries`, `retryDelayMs`), with the defaults where it has none. */
export function retryPolicy(tuning: {retries?: number; retryDelayMs?: number}, signal?: AbortSignal): RetryOptions {
  return {retries: tuning.retries ?? DEFAULT_RETRIES, baseDelayMs: tuning.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, signal}
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or runs out of retries. A piece is always
 * re-sent from its start (CTR and the chunk MACs are deterministic, so a repeat is byte-identical).
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (n >= options.retries || !isTransient(error) || options.signal?.aborted) throw error
      const delay = options.baseDelayMs * 4 ** n * (0.75 + Math.random() * 0.5)
      await sleep(delay, options.signal)
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}
