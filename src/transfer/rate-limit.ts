import {setTimeout as sleep} from 'node:timers/promises'
import {currentProfileSettings, type TransferDirection} from '../config/profile-settings.js'

/**
 * The `speedlimit` of one direction, shared by every transfer of the process: each request (a piece of a file)
 * takes its bytes before it starts, and a request is held until the bytes before it have had their time at the
 * limit (a schedule, not a bucket: no burst beyond one piece). MEGAcmd's limit is the SDK's (MegaApi::setMaxUpload
 * Speed / setMaxDownloadSpeed), process-wide too. A limit of 0 lets everything through at once.
 */
export class RateLimiter {
  private nextStart = 0

  constructor(direction: TransferDirection, private readonly settings: () => number = () => currentProfileSettings().speedLimit(direction)) {}

  /** Bytes per second now (0 = unlimited): the profile's, read again every half second (currentProfileSettings). */
  bytesPerSecond(): number {
    return this.settings()
  }

  /** Waits until `bytes` may go. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const limit = this.bytesPerSecond()
    const now = performance.now()
    if (limit <= 0) {
      this.nextStart = now
      return
    }
    const start = Math.max(now, this.nextStart)
    this.nextStart = start + (bytes / limit) * 1000
    if (start > now) await sleep(start - now, undefined, {signal})
  }
}

const limiters = new Map<TransferDirection, RateLimiter>()

/** The process's limiter of one direction. */
export function rateLimiter(direction: TransferDirection): RateLimiter {
  let limiter = limiters.get(direction)
  if (!limiter) limiters.set(direction, (limiter = new RateLimiter(direction)))
  return limiter
}

/**
 * The largest request under a limit: small enough that the rate holds over a few seconds (the first request goes
 * at once), never below one MAC chunk (1 MiB, chunk-plan.ts).
 */
export function limitedPieceSize(bytesPerSecond: number): number | undefined {
  return bytesPerSecond > 0 ? 1048576 : undefined
}
