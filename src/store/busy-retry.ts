import {setTimeout as delay} from 'node:timers/promises'
import {isDatabaseBusy} from './database.js'

export interface BusyRetryOptions {
  /** Give up (rethrow SQLITE_BUSY) after waiting this long in all. */
  maxWaitMs: number
  signal?: AbortSignal
  /** Told once, when the first attempt finds the cache locked (for -v). */
  onWait?: () => void
}

/**
 * Runs a synchronous cache write, trying again while another process holds the write lock. Each attempt blocks
 * for at most the connection's busy timeout; between attempts the event loop runs, so Ctrl-C still works.
 */
export async function retryWhileBusy<T>(write: () => T, options: BusyRetryOptions): Promise<T> {
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      return write()
    } catch (error) {
      if (!isDatabaseBusy(error) || Date.now() - started >= options.maxWaitMs) throw error
      if (attempt === 0) options.onWait?.()
      await delay(50, undefined, {signal: options.signal})
    }
  }
}
