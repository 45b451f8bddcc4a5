/**
 * MEGAcmd's delayed uploads (sync-config): a file uploaded `maxAttempts` times in a row while it keeps changing waits
 * `waitSeconds` before its next upload, so that a log file written all day is not uploaded at every write. The SDK's
 * UploadThrottlingManager (src/syncinternals/syncuploadthrottlingmanager.h): at most 2 uploads before throttling
 * (configurable 2-5), a 180 s throttle interval; its counters reset after a quiet period (COUNTER_RESET_MS here).
 */
export interface ThrottleSettings {
  waitSeconds: number
  maxAttempts: number
}

export const DEFAULT_THROTTLE: ThrottleSettings = {waitSeconds: 180, maxAttempts: 2}
/** Uploads of a file further apart than this do not count as "keeps changing". */
const COUNTER_RESET_MS = 60_000

export class UploadThrottle {
  private readonly uploads = new Map<string, {count: number; last: number}>()

  constructor(public settings: ThrottleSettings = DEFAULT_THROTTLE) {}

  /** How long the file must still wait before it may go up again (0: now). */
  delayFor(syncId: string, path: string, now = Date.now()): number {
    const seen = this.uploads.get(`${syncId}\0${path}`)
    if (!seen || now - seen.last > COUNTER_RESET_MS + this.settings.waitSeconds * 1000) return 0
    if (seen.count < this.settings.maxAttempts) return 0
    return Math.max(0, seen.last + this.settings.waitSeconds * 1000 - now)
  }

  uploaded(syncId: string, path: string, now = Date.now()): void {
    const key = `${syncId}\0${path}`
    const seen = this.uploads.get(key)
    const recent = seen && now - seen.last <= COUNTER_RESET_MS
    // After a wait, the count starts again: the file gets its next upload, then is watched anew.
    this.uploads.set(key, {count: recent && seen.count < this.settings.maxAttempts ? seen.count + 1 : 1, last: now})
  }
}
