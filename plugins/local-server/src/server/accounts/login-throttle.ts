import {ApiCode, fail} from '../protocol/api-error.js'

/**
 * Password guessing, slowed down per account: after `attempts` wrong passwords (or wrong two-factor codes)
 * for one email within `windowMs`, every password login to that email answers ETOOMANY (-6) for `windowMs`,
 * whatever the password, while other accounts log in as usual.
 *
 * The error is the real service's: MEGA's desktop app reads ETOOMANY from `us` as "You have attempted to
 * log in too many times. Please wait until <now + 3600 s> and try again" (MEGAsync
 * src/MEGASync/control/LoginController.cpp, LoginController::onLogin), hence the one-hour default. MEGAcmd
 * has no special case for it: its login prints "Failed to Login: …" with the SDK's text for -6
 * (megacmdexecuter.cpp actUponLogin → checkNoErrors). It is answered in the command's slot of the reply, as
 * every `us` failure is (SDK CommandLogin::procresult → loginResult); a bare request-level -3/-4 would be
 * retried by clients for half a minute instead of reported. How many guesses MEGA allows is not in any
 * client source; 10 is a guess.
 *
 * Configured by `MEGA_LOCAL_SERVER_LOGIN_THROTTLE=<attempts>/<seconds>` (e.g. `3/2.5`; `0` turns it off).
 * Kept in memory: a restart forgets it.
 */
export interface LoginThrottlePlan {
  /** Wrong passwords within the window that lock the account; 0 never locks. */
  attempts: number
  windowMs: number
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePlan = {attempts: 10, windowMs: 3600_000}

export function parseLoginThrottle(spec: string | undefined): LoginThrottlePlan {
  const text = spec?.trim()
  if (!text) return DEFAULT_LOGIN_THROTTLE
  if (text === '0') return {attempts: 0, windowMs: 0}
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text)
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) {
    throw new Error(`Bad login throttle "${text}": expected <attempts>/<seconds>, e.g. 10/3600, or 0`)
  }
  return {attempts: Number(match[1]), windowMs: Number(match[2]) * 1000}
}

interface Guesses {
  /** Times of the recent wrong guesses, oldest first, at most `attempts`. */
  failures: number[]
  lockedUntil: number
}

/** Beyond this many remembered emails, the ones with nothing recent are forgotten. */
const PRUNE_ABOVE = 10_000

export class LoginThrottle {
  private readonly records = new Map<string, Guesses>()

  constructor(readonly plan: LoginThrottlePlan, private readonly now: () => number = Date.now) {}

  /**
   * Refuses a login to a locked account before its password is looked at, so a guess made while locked
   * tells nothing and does not count.
   */
  check(email: string): void {
    const record = this.records.get(key(email))
    if (record && record.lockedUntil > this.now()) fail(ApiCode.ETOOMANY, 'too many login attempts')
  }

  failed(email: string): void {
    if (this.plan.attempts === 0) return
    const now = this.now()
    let record = this.records.get(key(email))
    if (!record) {
      if (this.records.size >= PRUNE_ABOVE) this.prune(now)
      this.records.set(key(email), (record = {failures: [], lockedUntil: 0}))
    }
    record.failures = [...record.failures.filter((t) => t > now - this.plan.windowMs), now].slice(-this.plan.attempts)
    if (record.failures.length >= this.plan.attempts) {
      record.lockedUntil = now + this.plan.windowMs
      record.failures = []
    }
  }

  succeeded(email: string): void {
    this.records.delete(key(email))
  }

  private prune(now: number): void {
    for (const [email, record] of this.records) {
      if (record.lockedUntil <= now && record.failures.every((t) => t <= now - this.plan.windowMs)) this.records.delete(email)
    }
  }
}

function key(email: string): string {
  return email.trim().toLowerCase()
}
