import {createHash, timingSafeEqual} from 'node:crypto'
import {ApiCode, fail} from '../protocol/api-error.js'
import {b64ToBuffer} from '../protocol/command-fields.js'
import type {UserRow, UserStore} from '../stores/user-store.js'
import {matchTotp} from './totp.js'

/**
 * Does `uh` from `us` prove the password? v1: it is the 8-byte user hash itself; v2: it is the authKey, whose
 * SHA-256 prefix must equal the stored hak (mega-api.md §2.1, §2.2).
 */
export function loginHashMatches(version: number, stored: string, uh: string): boolean {
  const expected = b64ToBuffer(stored)
  const sent = b64ToBuffer(uh)
  const candidate = version === 2 ? createHash('sha256').update(sent).digest().subarray(0, 16) : sent
  return expected.length > 0 && candidate.length === expected.length && timingSafeEqual(candidate, expected)
}

/**
 * Two-factor check for `us` and password changes: no code → EMFAREQUIRED (-26, SDK CommandLogin); a wrong
 * code → EFAILED (-5) and a code reused within its time window → EEXPIRED (-8). mega-api.md does not give the
 * last two; they follow MEGA's own Windows app, whose login listener maps API_EFAILED to "wrong MFA pin" and
 * API_EEXPIRED to "MFA pin is being re-used and is being denied to prevent a replay attack"
 * (LoginRequestListenerAsync.cs); MEGAcmd's passwd prints "invalid authentication code" on EFAILED.
 */
export function checkSecondFactor(user: UserRow, code: string | undefined, users: UserStore): void {
  if (!user.totp_secret) return
  if (!code) fail(ApiCode.EMFAREQUIRED, 'two-factor code required')
  const step = matchTotp(user.totp_secret, code)
  if (step === null) fail(ApiCode.EFAILED, 'wrong two-factor code')
  if (user.totp_last_step !== null && step <= user.totp_last_step) fail(ApiCode.EEXPIRED, 'two-factor code reused')
  users.setTotpStep(user.handle, step)
}
