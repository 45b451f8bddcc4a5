import {buildTsid, decodePublicKey, rsaEncrypt} from '@mega-shell/core'
import {checkSecondFactor, loginHashMatches} from '../accounts/login-check.js'
import {ApiCode, ApiError, fail} from '../protocol/api-error.js'
import {b64ToBuffer, flag, isB64, optArray, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {decodeSn} from '../protocol/handles.js'
import type {Session} from '../stores/session-store.js'
import type {UserRow} from '../stores/user-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/**
 * Accounts and login: us0, us, ug, uq, sml, plus usl/usr to list and kill sessions (mega-api.md §3.1–§3.3,
 * §3.7, §3.8). Signup is in registration.ts, `up` in user-update.ts, attributes in user-attributes.ts.
 */
export const accountCommands: CommandTable = {
  us0: {auth: 'none', run: prelogin},
  us: {auth: 'none', run: login},
  ug: {auth: 'session', run: userData},
  uq: {auth: 'session', run: quota},
  sml: {auth: 'session', run: logout},
  usl: {auth: 'session', run: listSessions},
  usr: {auth: 'session', run: killSessions},
}

/**
 * `us0` → {v:1} or {v:2, s:salt} (SDK CommandPrelogin), also for an email whose signup is not confirmed yet
 * (so its `us` can answer EINCOMPLETE). An unknown email answers ENOENT; the real service's answer for unknown
 * users was not found in the sources (guess; megajs turns either into a login error).
 */
function prelogin(cmd: ApiCommand, ctx: CommandContext): unknown {
  const email = reqString(cmd, 'user')
  const user = ctx.server.users.byEmail(email)
  if (user) return user.version === 2 ? {v: 2, s: user.salt} : {v: 1}
  const pending = ctx.server.signups.latestForEmail(email)
  if (!pending) fail(ApiCode.ENOENT, 'unknown user')
  return pending.version === 2 ? {v: 2, s: pending.salt} : {v: 1}
}

/**
 * `us` (mega-api.md §3.2): with an email and `uh`, a password login; with only a user handle, the resumption
 * of an ephemeral account (§3.4); with neither, the check of the session in `&sid=` (checkSession). An email
 * whose signup is not confirmed answers EINCOMPLETE (-13, MEGAcmd "Login failed: unconfirmed account"), but
 * only to the right password (v2; a v1 signup has no login hash before confirmation), so the answer reveals
 * nothing to a guesser that `us0` did not. Wrong passwords and two-factor codes count towards the account's
 * login throttle (login-throttle.ts).
 */
function login(cmd: ApiCommand, ctx: CommandContext): unknown {
  if (cmd.user === undefined && ctx.session) return checkSession(cmd, ctx.session, ctx)
  const id = reqString(cmd, 'user')
  const uh = optString(cmd, 'uh')
  if (!uh) return resumeEphemeral(id, ctx)
  const throttle = ctx.server.loginThrottle
  throttle.check(id)
  let user: UserRow
  try {
    user = checkPassword(id, uh, optString(cmd, 'mfa'), ctx)
  } catch (error) {
    if (error instanceof ApiError && GUESS_FAILURES.has(error.code)) throttle.failed(id)
    throw error
  }
  throttle.succeeded(id)
  return openSession(user, ctx, sessionKey(cmd, ctx))
}

/**
 * The `sek` an SDK-dialect login sent: kept with the session and answered back. The SDK then saves its session
 * as version 1, the master key encrypted with that key (MegaClient::dumpsession, src/megaclient.cpp; the key is
 * the one in the reply, CommandLogin::procresult, src/commands.cpp), so a session check must return the same one.
 * The other clients send none, and their login reply stays as it was.
 */
function sessionKey(cmd: ApiCommand, ctx: CommandContext): string | null {
  const sek = optString(cmd, 'sek')
  return ctx.dialect === 'sdk' && sek !== undefined && isB64(sek) && b64ToBuffer(sek).length === 16 ? sek : null
}

/**
 * `us` with no `user`, the session in `&sid=` (a dead or unknown one already made the dispatcher answer -15): the
 * SDK resuming a saved session (MegaClient::login(session), src/megaclient.cpp). The reply needs `u`, and `sek`
 * when the login gave one: for a version-1 session the SDK decrypts its saved master key with the `sek` of this
 * reply, not with the new one the request carries (CommandLogin::procresult, `checksession && sessionversion`).
 * `privk` lets the SDK count the session as a full account before its first `ug` (MegaClient::loggedin needs the
 * RSA key); without it MegaClient::fetchnodes skips the local node cache and reloads everything with `f`.
 * `sn` in the request is where the SDK's local node cache stands; `"sn":0` in the reply rejects that cache
 * (procresult: `client->cachedscsn = UNDEF`) when this server's event log cannot bring it up to date, so the SDK
 * reloads with `f` instead of resuming from it.
 */
function checkSession(cmd: ApiCommand, session: Session, ctx: CommandContext): unknown {
  const user = ctx.server.users.byHandle(session.user)
  if (!user) fail(ApiCode.ESID, 'account is gone')
  const reply: Record<string, unknown> = {u: session.user}
  if (session.sek) reply.sek = session.sek
  if (user.privk) reply.privk = user.privk
  const cachedSn = optString(cmd, 'sn')
  if (cachedSn !== undefined) {
    const sn = decodeSn(cachedSn)
    if (sn === null || !ctx.server.events.canContinueFrom(session.user, sn)) reply.sn = 0
  }
  return reply
}

/** The answers that mean "wrong password" or "wrong two-factor code": what the login throttle counts. */
const GUESS_FAILURES = new Set<number>([ApiCode.ENOENT, ApiCode.EFAILED])

function checkPassword(id: string, uh: string, mfa: string | undefined, ctx: CommandContext): UserRow {
  const user = ctx.server.users.byEmail(id)
  if (!user) {
    const pending = ctx.server.signups.latestForEmail(id)
    if (pending && (pending.version === 1 || loginHashMatches(2, pending.hak ?? '', uh))) fail(ApiCode.EINCOMPLETE, 'account not confirmed')
    fail(ApiCode.ENOENT, 'wrong email or password')
  }
  if (!loginHashMatches(user.version, user.uh, uh)) fail(ApiCode.ENOENT, 'wrong email or password')
  checkSecondFactor(user, mfa, ctx.server.users)
  return user
}

/** `us {user: <handle>}`: only an account that is still ephemeral (unconfirmed) can be resumed by handle. */
function resumeEphemeral(handle: string, ctx: CommandContext): unknown {
  const user = ctx.server.users.byHandle(handle)
  if (!user || user.confirmed) fail(ApiCode.ENOENT, 'no such ephemeral account')
  return openSession(user, ctx, null)
}

/**
 * The login reply: {k, privk, csid, u} with csid = MEGA-RSA(pubk, sid) for an account with a key pair; for
 * one without (ephemeral, or confirmed but not yet given keys), {k, tsid, u} where tsid = ts[0..16) ‖ user
 * handle ‖ ts[16..32) doubles as the session id (mega-api.md §2.4; SDK checktsid). No `sn`: megajs would
 * start polling from it (§1.5).
 */
function openSession(user: UserRow, ctx: CommandContext, sek: string | null): unknown {
  const {sessions} = ctx.server
  const origin = {...ctx.client, sek}
  const withSek = sek === null ? {} : {sek}
  if (!user.pubk || !user.privk) {
    const tsid = buildTsid(b64ToBuffer(user.ts), user.handle)
    sessions.create(user.handle, origin, tsid)
    return {k: user.k, tsid: tsid.toString('base64url'), u: user.handle, ...withSek}
  }
  const {sidBytes} = sessions.create(user.handle, origin)
  const csid = rsaEncrypt(decodePublicKey(user.pubk), sidBytes).toString('base64url')
  return {k: user.k, privk: user.privk, csid, u: user.handle, ...withSek}
}

/**
 * `ug` (SDK CommandGetUserData, megatools mega_session_get_user): megatools needs u, k, privk and pubk;
 * `ts` is a string (go-mega); `k` is the master key under the password key, as at login.
 *
 * The SDK dialect also gets the account's `flags` and every stored user attribute as {av, v}
 * (CommandGetUserData::procresult and parseUserAttribute, src/commands.cpp): the key attributes (`^!keys`,
 * `+puEd255`, `+puCu255`, `+sigPubk`, `+sigCu255`, `*keyring`) come only from here at login. Without them
 * the SDK takes the account for one without keys, makes new ones on every login and has them refused (-8), and
 * a reload ends in "KeyMgr / Setup failure" (MegaClient::initializekeys, src/megaclient.cpp); without `*~usk`
 * it writes a new one each time.
 */
function userData(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = currentUser(ctx)
  const reply: Record<string, unknown> = {u: user.handle, s: 1, k: user.k, c: user.confirmed, ts: user.ts, since: user.created}
  if (user.confirmed) Object.assign(reply, {email: user.email, name: displayName(user, ctx), aav: user.version})
  if (user.pubk && user.privk) Object.assign(reply, {privk: user.privk, pubk: user.pubk})
  if (user.confirmed && user.version === 2 && user.salt) reply.aas = user.salt
  if (ctx.dialect === 'sdk') {
    reply.flags = SDK_FLAGS
    for (const {name, value, version} of ctx.server.attributes.list(user.handle)) {
      // An attribute can never shadow one of the scalars above (megatools' `up {name}` writes no attribute).
      if (!Object.hasOwn(reply, name)) reply[name] = {av: value, v: version}
    }
  }
  return reply
}

/**
 * The account flags of `ug` (MegaClient::readmiscflags, src/megaclient.cpp; must be an object or `ug` fails).
 * `nlfe:1`: links in the current format, https://mega.nz/file/<ph>#<key> (MegaClient::publicLinkURL).
 */
const SDK_FLAGS = {nlfe: 1}

/**
 * `uq` (SDK CommandGetUserQuota): used storage counts every file node (copies share ciphertext on disk but
 * count for each node, like the real service); `cstrgn` per root is [bytes, files, folders, version bytes,
 * version files].
 *
 * Transfer: `mxfer` the account's transfer quota, `caxfer` what it downloaded in the last six hours
 * (transfer-quota.ts), `csxfer` 0 and `srvratio` 0 (none of its quota serves other people's downloads). The used
 * figure travels in `caxfer` alone, the one field every client reads: megajs (getAccountInfo:
 * downloadBandwidthUsed = caxfer) and mega-shell read nothing else, while the SDK (MegaAccountDetails::
 * getTransferUsed = caxfer + csxfer + the `tah` buckets, src/megaapi_impl.cpp) and the webclient (downbw_used =
 * caxfer + the `tah` buckets, js/fm/megadata/account.js) add MEGA's hourly free-quota buckets `tah` to it, so
 * sending the same bytes there as well would count them twice. No `tal` (the webclient's free allowance that
 * replaces `mxfer` for free accounts): `mxfer` is the limit for every account here.
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
  const reply: Record<string, unknown> = {
    mstrg: user.storage_max, cstrg: used, cstrgn,
    mxfer: user.transfer_max, caxfer: ctx.server.transferQuota.used(user.handle), csxfer: 0, srvratio: 0,
    utype: user.pro_level, uslw: STORAGE_WARNING,
  }
  // A PRO account's plan: the SDK reads the level only from `plans` (CommandGetUserQuota::readPlans, src/commands.cpp:
  // `al`, a PRO plan when above 0), where the older clients read `utype`. MEGAcmd protects links only for PRO accounts.
  if (user.pro_level > 0) reply.plans = [{al: user.pro_level}]
  // The storage level (0 green, 1 almost full, 2 full): without it the SDK reports "Storage status is unknown"
  // (CommandGetUserQuota::procresult, src/commands.cpp, `usl`).
  if (ctx.dialect === 'sdk') {
    reply.usl = used >= user.storage_max ? 2 : used * 10_000 >= user.storage_max * STORAGE_WARNING ? 1 : 0
  }
  return reply
}

/** `uslw`: the share of the storage quota (in 1/10000) from which an account counts as almost full. */
const STORAGE_WARNING = 9000

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

/**
 * `usr`: `ko:1` kills every other session, `s:[handles]` the listed ones (SDK CommandKillSessions). A handle
 * that is not a live session of this account answers ENOENT and kills nothing (guess: the SDK only shows
 * the generic error; another account's sessions must look the same as unknown ones).
 */
function killSessions(cmd: ApiCommand, ctx: CommandContext): unknown {
  const current = requireSession(ctx)
  const handles = new Set((optArray(cmd, 's') ?? []).filter((h): h is string => typeof h === 'string'))
  const live = ctx.server.sessions.list(current.user).filter((s) => s.alive)
  for (const handle of handles) if (!live.some((s) => s.handle === handle)) fail(ApiCode.ENOENT, 'no such session')
  const all = flag(cmd, 'ko')
  for (const s of live) {
    if ((all && s.sid !== current.sid) || handles.has(s.handle)) ctx.server.sessions.kill(s)
  }
  return 0
}

/**
 * `ug.name`: the legacy name field (megatools `up {name}`), else first and last name from the attributes a
 * signup sets (mega-api.md §3.5 v2 step 2).
 */
function displayName(user: UserRow, ctx: CommandContext): string {
  if (user.name) return user.name
  const part = (name: string) => b64ToBuffer(ctx.server.attributes.get(user.handle, name)?.value ?? '').toString('utf8')
  return [part('firstname'), part('lastname')].filter(Boolean).join(' ')
}

export function currentUser(ctx: CommandContext): UserRow {
  const user = ctx.server.users.byHandle(requireSession(ctx).user)
  if (!user) fail(ApiCode.ESID, 'account is gone')
  return user
}
