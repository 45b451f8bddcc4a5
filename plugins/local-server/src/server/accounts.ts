import {createHash, timingSafeEqual} from 'node:crypto'
import {decodePublicKey, rsaEncrypt} from '@mega-shell/core'
import {ApiCode, fail} from './api-error.js'
import {b64ToBuffer, flag, optArray, optString, reqString, type ApiCommand} from './command-fields.js'
import {requireSession, type CommandContext, type CommandTable} from './context.js'
import {matchTotp} from './totp.js'
import type {UserRow} from './user-store.js'

/**
 * Accounts and login: us0, us, ug, uq, sml, plus usl/usr to list and kill sessions and uga (no attributes)
 * (mega-api.md §3.1–§3.3, §3.7, §3.8).
 */
export const accountCommands: CommandTable = {
  us0: {auth: 'none', run: prelogin},
  us: {auth: 'none', run: login},
  ug: {auth: 'session', run: userData},
  uq: {auth: 'session', run: quota},
  sml: {auth: 'session', run: logout},
  usl: {auth: 'session', run: listSessions},
  usr: {auth: 'session', run: killSessions},
  uga: {auth: 'session', run: userAttribute},
}

/**
 * `us0` → {v:1} or {v:2, s:salt} (SDK CommandPrelogin). An unknown email answers ENOENT; the real service's
 * answer for unknown users was not found in the sources (guess; megajs turns either into a login error).
 */
function prelogin(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = ctx.server.users.byEmail(reqString(cmd, 'user'))
  if (!user) fail(ApiCode.ENOENT, 'unknown user')
  return user.version === 2 ? {v: 2, s: user.salt} : {v: 1}
}

/**
 * `us`: checks `uh` (v1 user hash, or v2 authKey whose SHA-256 prefix must equal the stored hak), then the
 * TOTP code, then answers k, privk (as stored), csid = MEGA-RSA(pubk, sid) and u (mega-api.md §3.2, §2.4).
 * No `sn` in the reply: megajs would start polling from it (§1.5).
 */
function login(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = ctx.server.users.byEmail(reqString(cmd, 'user'))
  const uh = reqString(cmd, 'uh')
  if (!user || !passwordMatches(user, uh)) fail(ApiCode.ENOENT, 'wrong email or password')
  if (user.totp_secret) checkSecondFactor(user, optString(cmd, 'mfa'), ctx)
  if (!user.pubk || !user.privk) fail(ApiCode.EINTERNAL, 'account has no RSA key')
  const {sidBytes} = ctx.server.sessions.create(user.handle, ctx.client.userAgent, ctx.client.ip)
  const csid = rsaEncrypt(decodePublicKey(user.pubk), sidBytes).toString('base64url')
  return {k: user.k, privk: user.privk, csid, u: user.handle}
}

function passwordMatches(user: UserRow, uh: string): boolean {
  const stored = b64ToBuffer(user.uh)
  const sent = b64ToBuffer(uh)
  const candidate = user.version === 2 ? createHash('sha256').update(sent).digest().subarray(0, 16) : sent
  return candidate.length === stored.length && timingSafeEqual(candidate, stored)
}

/**
 * Two-factor login: no code → EMFAREQUIRED (-26, SDK CommandLogin); a wrong code → EFAILED (-5) and a
 * code reused within its time window → EEXPIRED (-8). mega-api.md does not give the last two; they follow
 * MEGA's own Windows app, whose login listener maps API_EFAILED to "wrong MFA pin" and API_EEXPIRED to
 * "MFA pin is being re-used and is being denied to prevent a replay attack" (LoginRequestListenerAsync.cs).
 */
function checkSecondFactor(user: UserRow, code: string | undefined, ctx: CommandContext): void {
  if (!code) fail(ApiCode.EMFAREQUIRED, 'two-factor code required')
  const step = matchTotp(user.totp_secret!, code)
  if (step === null) fail(ApiCode.EFAILED, 'wrong two-factor code')
  if (user.totp_last_step !== null && step <= user.totp_last_step) fail(ApiCode.EEXPIRED, 'two-factor code reused')
  ctx.server.users.setTotpStep(user.handle, step)
}

/**
 * `ug` (SDK CommandGetUserData, megatools mega_session_get_user): megatools needs u, k, privk and pubk;
 * `ts` is a string (go-mega); `k` is the master key under the password key, as at login.
 */
function userData(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = currentUser(ctx)
  const reply: Record<string, unknown> = {
    u: user.handle, s: 1, email: user.email, name: user.name, k: user.k, c: 1, ts: user.ts,
    privk: user.privk, pubk: user.pubk, since: user.created, aav: user.version,
  }
  if (user.version === 2 && user.salt) reply.aas = user.salt
  return reply
}

/**
 * `uq` (SDK CommandGetUserQuota): used storage counts every file node (copies share ciphertext on disk but
 * count for each node, like the real service); `cstrgn` per root is [bytes, files, folders, version bytes,
 * version files]. Transfer use is not metered.
 */
function quota(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = currentUser(ctx)
  const cstrgn: Record<string, number[]> = {}
  let used = 0
  for (const root of [user.root, user.inbox, user.rubbish]) {
    const u = ctx.server.nodes.usage(root)
    cstrgn[root] = [u.bytes, u.files, u.folders, u.versionBytes, u.versionFiles]
    used += u.bytes + u.versionBytes
  }
  return {
    mstrg: user.storage_max, cstrg: used, cstrgn, mxfer: user.transfer_max, caxfer: 0, csxfer: 0, srvratio: 0,
    utype: 0, uslw: 9000,
  }
}

/** `sml`: ends the current session (megajs Storage.close). */
function logout(_cmd: ApiCommand, ctx: CommandContext): unknown {
  ctx.server.sessions.kill(requireSession(ctx))
  return 0
}

/**
 * `usl` → one array per session: [created, last use, user agent, ip, country, current, session handle, alive,
 * device id] (SDK CommandGetUserSessions with x:1, d:1).
 */
function listSessions(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const current = requireSession(ctx)
  return ctx.server.sessions.list(current.user).map((s) => [
    s.created, s.lastUsed, s.userAgent, s.ip, 'XX', s.sid === current.sid ? 1 : 0, s.handle, s.alive ? 1 : 0, '',
  ])
}

/** `usr`: `ko:1` kills every other session, `s:[handles]` the listed ones (SDK CommandKillSessions). */
function killSessions(cmd: ApiCommand, ctx: CommandContext): unknown {
  const current = requireSession(ctx)
  const handles = new Set((optArray(cmd, 's') ?? []).filter((h): h is string => typeof h === 'string'))
  const all = flag(cmd, 'ko')
  for (const s of ctx.server.sessions.list(current.user)) {
    if (!s.alive) continue
    if ((all && s.sid !== current.sid) || handles.has(s.handle)) ctx.server.sessions.kill(s)
  }
  return 0
}

/**
 * `uga`: this server keeps no user attributes (names come from `ug`), so every attribute is "not found",
 * the answer the SDK expects for an attribute never set (SDK CommandGetUA: -9).
 */
function userAttribute(): unknown {
  fail(ApiCode.ENOENT, 'no such user attribute')
}

function currentUser(ctx: CommandContext): UserRow {
  const user = ctx.server.users.byHandle(requireSession(ctx).user)
  if (!user) fail(ApiCode.ESID, 'account is gone')
  return user
}
