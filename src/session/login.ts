import {aesEcbDecrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {deriveKeysV2, passwordKeyV1, userHashV1} from '../crypto/password.js'
import {decryptPrivateKey, encodePublicKey, encryptPrivateKey, generateRsaKeyPair, rsaDecrypt} from '../crypto/rsa.js'
import {checkTsid, SID_LENGTH} from '../crypto/session-id.js'
import {CommandError, MegaError} from '../errors.js'
import type {ApiClient} from '../api/client.js'
import type {SessionRecord} from './session-record.js'

export interface PreloginReply {v?: number; s?: string}
interface LoginReply {k?: string; privk?: string; csid?: string; tsid?: string; u?: string}
/** The `ug` members the client reads (mega-api.md §3.3). */
export interface UserReply {
  u: string; email?: string; name?: string; k?: string; privk?: string; pubk?: string
  /** Account (auth) version and, for v2, the salt (b64). */
  aav?: number; aas?: string
}

/** Messages MEGAcmd prints for failed logins (megacmd-reference.md §6.2 login); exit = |API code|. */
function loginFailure(error: unknown): unknown {
  if (!(error instanceof MegaError)) return error
  const text: Record<number, string> = {
    [-9]: 'Login failed: invalid email or password',
    [-26]: 'Login failed: a two-factor authentication code is required (use --auth-code)',
    [-13]: 'Login failed: unconfirmed account. Please confirm your account',
    [-16]: 'Login failed: account blocked',
    [-5]: 'Login failed: incorrect authentication',
    // MEGA's answer to repeated wrong passwords for one account (MEGAsync LoginController::onLogin: "You have
    // attempted to log in too many times").
    [-6]: 'Login failed: too many login attempts, please try again later',
  }
  return text[error.code] ? new MegaError(error.code, text[error.code]) : error
}

/** What a password proves for one account: the key that decrypts `k`, and the `uh` sent to `us`. */
export interface PasswordProof {
  passwordKey: Buffer
  uh: string
}

/**
 * v1: AES-rounds password key and the email hash; v2: PBKDF2 over the account salt, the second half sent as
 * `uh` (mega-api.md §2.1, §2.2; SDK MegaClient::login / login2).
 */
export function passwordProof(version: number | undefined, salt: string | undefined, email: string, password: string): PasswordProof {
  if (version === 1) {
    const passwordKey = passwordKeyV1(password)
    return {passwordKey, uh: userHashV1(email.trim().toLowerCase(), passwordKey)}
  }
  if (version === 2 && salt) {
    const keys = deriveKeysV2(password, b64decode(salt))
    return {passwordKey: keys.passwordKey, uh: b64encode(keys.authKey)}
  }
  throw new MegaError(-1, `unsupported account version ${version}`)
}

/** `us0`: the account version and salt (mega-api.md §3.1; SDK CommandPrelogin). */
export async function prelogin(api: ApiClient, email: string): Promise<PreloginReply> {
  return api.request<PreloginReply>({a: 'us0', user: email.trim().toLowerCase()})
}

export interface Authentication {
  masterKey: Buffer
  /** The session id (b64) the login opened. */
  sid: string
}

/**
 * `us0` + `us` only: opens a session and returns the master key and sid, leaving `api.sid` alone. API errors
 * come back unchanged (-9 wrong password, -13 unconfirmed, -26 2FA…) so each caller can give them its own
 * meaning (login, confirm).
 */
export async function authenticate(api: ApiClient, email: string, password: string, options: {authCode?: string; prelogin?: PreloginReply} = {}): Promise<Authentication> {
  const user = email.trim().toLowerCase()
  const {authCode} = options
  const pre = options.prelogin ?? (await prelogin(api, user))
  const {passwordKey, uh} = passwordProof(pre.v, pre.s ?? undefined, user, password)
  const reply = await api.request<LoginReply>({a: 'us', user, uh, ...(authCode ? {mfa: authCode} : {})})
  if (!reply.k) throw new MegaError(-1, 'login reply carries no key')
  const masterKey = aesEcbDecrypt(passwordKey, b64decode(reply.k))
  return {masterKey, sid: sessionIdFromLogin(reply, masterKey)}
}

/**
 * Email + password login: `us0` tells the account version, the password gives the keys (v1: AES rounds,
 * v2: PBKDF2), `us` returns the encrypted master key and the session id encrypted to our RSA key (`csid`),
 * or a `tsid` for accounts without one (mega-api.md §3.1, §3.2, §2.4; SDK CommandPrelogin/CommandLogin,
 * megajs Storage.login). An account without an RSA key (a fresh v2 signup) gets one here.
 */
export async function loginWithPassword(api: ApiClient, email: string, password: string, authCode?: string): Promise<SessionRecord> {
  const user = email.trim().toLowerCase()
  try {
    const {masterKey, sid} = await authenticate(api, user, password, {authCode})
    api.sid = sid
    const me = await api.request<UserReply>({a: 'ug'})
    const privk = me.pubk && me.privk ? me.privk : await initializeKeys(api, masterKey)
    return {apiUrl: api.apiUrl, sid, masterKey: b64encode(masterKey), userHandle: me.u, email: me.email ?? user, name: me.name, privk}
  } catch (error) {
    throw loginFailure(error)
  }
}

/**
 * First login of an account created by the v2 signup: it has no RSA pair yet, so the client makes one and
 * stores it with `up {pubk, privk}` (mega-api.md §3.5 v2 step 6; SDK MegaClient::initializekeys,
 * CommandSetKeyPair). The private key travels encrypted under the master key.
 */
export async function initializeKeys(api: ApiClient, masterKey: Buffer): Promise<string> {
  const {privateKey, publicKey} = generateRsaKeyPair()
  const privk = encryptPrivateKey(privateKey, masterKey)
  await api.request({a: 'up', pubk: encodePublicKey(publicKey), privk})
  return privk
}

function sessionIdFromLogin(reply: LoginReply, masterKey: Buffer): string {
  if (reply.csid && reply.privk) {
    const privateKey = decryptPrivateKey(reply.privk, masterKey)
    const sid = rsaDecrypt(privateKey, b64decode(reply.csid)).subarray(0, SID_LENGTH)
    // The SDK checks that the sid carries the user handle at bytes 16..27 (CommandLogin::procresult).
    if (reply.u && sid.subarray(16, 27).toString('ascii') !== reply.u) throw new MegaError(-14, 'Login failed: the session id does not decrypt (wrong password?)')
    return b64encode(sid)
  }
  if (reply.tsid) {
    if (!checkTsid(reply.tsid, masterKey)) throw new MegaError(-9, 'Login failed: invalid email or password')
    return reply.tsid
  }
  throw new MegaError(-1, 'login reply carries no session id')
}

/** Resumes a session from its string: the server confirms it is alive and tells who we are (`ug`). */
export async function resumeSession(api: ApiClient, masterKey: Buffer, sid: string): Promise<SessionRecord> {
  api.sid = sid
  try {
    const me = await api.request<UserReply>({a: 'ug'})
    return {apiUrl: api.apiUrl, sid, masterKey: b64encode(masterKey), userHandle: me.u, email: me.email ?? '', name: me.name, privk: me.privk}
  } catch (error) {
    if (error instanceof MegaError && (error.code === -15 || error.code === -9)) {
      throw new CommandError('Login failed: the session is invalid or has expired', 15)
    }
    throw error
  }
}
