import {createHash, randomBytes} from 'node:crypto'
import {isValidEmail, saltV2, splitFullName} from '@mega-shell/core'
import {DEFAULT_STORAGE_MAX, DEFAULT_TRANSFER_MAX} from '../accounts/account-factory.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import {b64ToBuffer, isB64, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {nowSeconds} from '../protocol/handles.js'
import type {SignupRow} from '../stores/signup-store.js'
import {insertUser, type PasswordLogin, type UserRow} from '../stores/user-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/**
 * Signup (mega-api.md §3.4, §3.5): both flows.
 *  - v2 (SDK and MEGAcmd today): ephemeral `up {k, ts}` → `us {user: handle}` → `uc2` sends the link →
 *    `ud2` confirms → the first password login gets a tsid and uploads the key pair (`up {pubk, privk}`).
 *  - v1 (megatools megareg, the SDK until 2022): ephemeral account → `uc` sends the link → `ud` reads it back
 *    → `up {c, uh}` confirms and sets the login hash.
 * The link the mail carries is `https://mega.nz/#confirm<b64 code>`, the form clients parse.
 */
export const registrationCommands: CommandTable = {
  uc2: {auth: 'session', run: sendSignupLinkV2},
  ud2: {auth: 'none', run: confirmSignupLinkV2},
  uc: {auth: 'session', run: sendSignupLinkV1},
  ud: {auth: 'none', run: querySignupLinkV1},
}

const V2_PREFIX = Buffer.from('ConfirmCodeV2', 'ascii')
const TOKEN_BYTES = 15
const HASH_BYTES = 8
const CONFIRM_LINK_PREFIX = 'https://mega.nz/#confirm'

/**
 * `up {k, ts}` without a session: a new ephemeral account (mega-api.md §3.4); the reply is its user handle.
 * `ts` must be ssc ‖ AES-ECB(masterKey, ssc), 32 bytes, because the tsid is cut from it (§2.4).
 */
export function createEphemeralAccount(cmd: ApiCommand, ctx: CommandContext): string {
  const k = reqString(cmd, 'k')
  const ts = reqString(cmd, 'ts')
  if (!isB64(k) || b64ToBuffer(k).length !== 16 || !isB64(ts) || b64ToBuffer(ts).length !== 32) fail(ApiCode.EARGS, 'bad k or ts')
  const row = insertUser(ctx.server.db, {
    email: '', name: '', version: 0, k, uh: '', salt: null, pubk: null, privk: null, ts, totp_secret: null,
    storage_max: DEFAULT_STORAGE_MAX, transfer_max: DEFAULT_TRANSFER_MAX, confirmed: 0,
  })
  return row.handle
}

/**
 * `uc2 {n, m, crv, hak, k, v:2}` from the ephemeral session (SDK CommandSendSignupLink2): n = b64 full name,
 * m = b64 email, crv = the client random value the salt is made from, hak = SHA-256(authKey)[0..16),
 * k = master key under the new password key. An email that already has an account answers EEXIST (MEGAcmd:
 * "Failed to create account"); a newer link for an unconfirmed email replaces the older one.
 */
function sendSignupLinkV2(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = pendingUser(ctx)
  const {email, name} = signupIdentity(cmd, ctx)
  const crv = b64ToBuffer(reqString(cmd, 'crv'))
  const hak = reqString(cmd, 'hak')
  const k = reqString(cmd, 'k')
  if (crv.length !== 16 || b64ToBuffer(hak).length !== 16 || b64ToBuffer(k).length !== 16) fail(ApiCode.EARGS, 'bad signup keys')
  const token = randomBytes(TOKEN_BYTES)
  const code = withHash(Buffer.concat([V2_PREFIX, token, Buffer.from(`${email}\t${name}`, 'utf8')]))
  saveSignup(ctx, {
    token: token.toString('base64url'), user: user.handle, email, name, version: 2, k, hak,
    salt: saltV2(crv).toString('base64url'), c: null, created: nowSeconds(),
  }, code)
  return 0
}

/**
 * `ud2 {c}` (SDK CommandConfirmSignupLink2): confirms the account and answers [b64 email, b64 name, user
 * handle, 2]. The email becomes the login; the password set at `uc2` logs in from now on. A code that is
 * unknown, altered or already used answers ENOENT (guess: the SDK shows the generic error).
 */
function confirmSignupLinkV2(cmd: ApiCommand, ctx: CommandContext): unknown {
  const code = b64ToBuffer(reqString(cmd, 'c'))
  if (!code.subarray(0, V2_PREFIX.length).equals(V2_PREFIX)) fail(ApiCode.EARGS, 'not a v2 confirmation code')
  const signup = signupOfCode(ctx, code, V2_PREFIX.length)
  if (signup.version !== 2) fail(ApiCode.ENOENT, 'not a v2 signup')
  confirmSignup(ctx, signup, {version: 2, k: signup.k!, uh: signup.hak!, salt: signup.salt})
  return [b64(signup.email), b64(signup.name), signup.user, 2]
}

/**
 * `uc {c, n, m}` (v1; megatools mega_session_register, SDK-2021 CommandSendSignupLink): c = AES-ECB(pwKey,
 * masterKey ‖ challenge), 32 bytes, kept so `ud` can hand it back for the client's check. The code is
 * c ‖ token ‖ email ‖ TAB ‖ name ‖ 8-byte hash, as a captured megatools sample decodes (mega-api.md §3.5).
 */
function sendSignupLinkV1(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = pendingUser(ctx)
  const {email, name} = signupIdentity(cmd, ctx)
  const c = b64ToBuffer(reqString(cmd, 'c'))
  if (c.length !== 32) fail(ApiCode.EARGS, 'bad c')
  const token = randomBytes(TOKEN_BYTES)
  const code = withHash(Buffer.concat([c, token, Buffer.from(`${email}\t${name}`, 'utf8')]))
  saveSignup(ctx, {
    token: token.toString('base64url'), user: user.handle, email, name, version: 1, k: null, hak: null, salt: null,
    c: c.toString('base64url'), created: nowSeconds(),
  }, code)
  return 0
}

/**
 * `ud {c}` (v1) → [b64 email, b64 name, user handle, b64 encrypted master key, b64 encrypted challenge]:
 * email first, as the captured megatools reply shows (mega-api.md §3.5 step 4). Confirmation itself is the
 * `up {c, uh}` that follows.
 */
function querySignupLinkV1(cmd: ApiCommand, ctx: CommandContext): unknown {
  const code = b64ToBuffer(reqString(cmd, 'c'))
  const signup = signupOfCode(ctx, code, 32)
  if (signup.version !== 1 || !signup.c) fail(ApiCode.ENOENT, 'not a v1 signup')
  const c = b64ToBuffer(signup.c)
  return [b64(signup.email), b64(signup.name), signup.user, c.subarray(0, 16).toString('base64url'), c.subarray(16, 32).toString('base64url')]
}

/**
 * `up {c: <code>, uh}` (v1 step 5): confirms the signup of the calling ephemeral account, with `uh` the
 * user hash of email and password; the key under the password key is the `k` the account was created with.
 */
export function confirmSignupV1(cmd: ApiCommand, ctx: CommandContext): string {
  const user = pendingUser(ctx)
  const code = b64ToBuffer(reqString(cmd, 'c'))
  const uh = reqString(cmd, 'uh')
  if (b64ToBuffer(uh).length !== 8) fail(ApiCode.EARGS, 'bad uh')
  const signup = signupOfCode(ctx, code, 32)
  if (signup.version !== 1 || signup.user !== user.handle) fail(ApiCode.ENOENT, 'not this account\'s signup')
  confirmSignup(ctx, signup, {version: 1, k: user.k, uh, salt: null})
  return user.handle
}

function confirmSignup(ctx: CommandContext, signup: SignupRow, login: PasswordLogin): void {
  const {users, signups} = ctx.server
  if (users.byEmail(signup.email)) fail(ApiCode.EEXIST, 'email already registered')
  const user = users.byHandle(signup.user)
  if (!user || user.confirmed) fail(ApiCode.ENOENT, 'account gone or confirmed')
  users.confirm(user.handle, {email: signup.email, name: user.name || signup.name, ...login})
  signups.consume(signup)
}

/** The calling session's account, which must still be ephemeral (a confirmed one cannot sign up again). */
function pendingUser(ctx: CommandContext): UserRow {
  const user = ctx.server.users.byHandle(requireSession(ctx).user)
  if (!user) fail(ApiCode.ESID)
  if (user.confirmed) fail(ApiCode.EACCESS, 'account already confirmed')
  return user
}

function signupIdentity(cmd: ApiCommand, ctx: CommandContext): {email: string; name: string} {
  const email = b64ToBuffer(reqString(cmd, 'm')).toString('utf8').trim().toLowerCase()
  const name = b64ToBuffer(optString(cmd, 'n') ?? '').toString('utf8')
  if (!isValidEmail(email)) fail(ApiCode.EARGS, 'invalid email')
  if (ctx.server.users.byEmail(email)) fail(ApiCode.EEXIST, 'email already registered')
  return {email, name}
}

function saveSignup(ctx: CommandContext, signup: SignupRow, code: Buffer): void {
  ctx.server.signups.replace(signup)
  const link = CONFIRM_LINK_PREFIX + code.toString('base64url')
  const {first} = splitFullName(signup.name)
  ctx.server.outbox.send({
    to: signup.email, kind: 'signup', subject: 'MEGA email verification required', link,
    body: `Hello ${first || signup.email},\n\nplease confirm your MEGA account by opening this link:\n${link}\n`,
  })
}

/** The code ends in 8 bytes of SHA-256 over the rest, so an altered code is refused rather than misread. */
function withHash(body: Buffer): Buffer {
  return Buffer.concat([body, createHash('sha256').update(body).digest().subarray(0, HASH_BYTES)])
}

function signupOfCode(ctx: CommandContext, code: Buffer, tokenAt: number): SignupRow {
  if (code.length < tokenAt + TOKEN_BYTES + HASH_BYTES) fail(ApiCode.ENOENT, 'short code')
  const body = code.subarray(0, code.length - HASH_BYTES)
  if (!withHash(body).equals(code)) fail(ApiCode.ENOENT, 'altered code')
  const signup = ctx.server.signups.byToken(code.subarray(tokenAt, tokenAt + TOKEN_BYTES).toString('base64url'))
  if (!signup) fail(ApiCode.ENOENT, 'unknown or used code')
  return signup
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}
