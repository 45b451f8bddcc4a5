import {aesEcbDecrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {deriveKeysV2, passwordKeyV1, userHashV1} from '../crypto/password.js'
import {decryptPrivateKey, rsaDecrypt} from '../crypto/rsa.js'
import {checkTsid, SID_LENGTH} from '../crypto/session-id.js'
import {CommandError, MegaError} from '../errors.js'
import type {ApiClient} from '../api/client.js'
import type {SessionRecord} from './session-record.js'

interface PreloginReply {v?: number; s?: string}
interface LoginReply {k?: string; privk?: string; csid?: string; tsid?: string; u?: string}
export interface UserReply {u: string; email?: string; name?: string; k?: string; privk?: string; pubk?: string}

/** Messages MEGAcmd prints for failed logins (megacmd-reference.md §6.2 login); exit = |API code|. */
function loginFailure(error: unknown): unknown {
  if (!(error instanceof MegaError)) return error
  const text: Record<number, string> = {
    [-9]: 'Login failed: invalid email or password',
    [-26]: 'Login failed: a two-factor authentication code is required (use --auth-code)',
    [-13]: 'Login failed: unconfirmed account. Please confirm your account',
    [-16]: 'Login failed: account blocked',
    [-5]: 'Login failed: incorrect authentication',
  }
  return text[error.code] ? new MegaError(error.code, text[error.code]) : error
}

/**
 * Email + password login: `us0` tells the account version, the password gives the keys (v1: AES rounds,
 * v2: PBKDF2), `us` returns the encrypted master key and the session id encrypted to our RSA key (`csid`),
 * or a `tsid` for accounts without one (mega-api.md §3.1, §3.2, §2.4; SDK CommandPrelogin/CommandLogin,
 * megajs Storage.login).
 */
export async function loginWithPassword(api: ApiClient, email: string, password: string, authCode?: string): Promise<SessionRecord> {
  const user = email.trim().toLowerCase()
  try {
    const pre = await api.request<PreloginReply>({a: 'us0', user})
    let passwordKey: Buffer
    let uh: string
    if (pre.v === 1) {
      passwordKey = passwordKeyV1(password)
      uh = userHashV1(user, passwordKey)
    } else if (pre.v === 2 && pre.s) {
      const keys = deriveKeysV2(password, b64decode(pre.s))
      passwordKey = keys.passwordKey
      uh = b64encode(keys.authKey)
    } else {
      throw new MegaError(-1, `unsupported account version ${pre.v}`)
    }
    const reply = await api.request<LoginReply>({a: 'us', user, uh, ...(authCode ? {mfa: authCode} : {})})
    if (!reply.k) throw new MegaError(-1, 'login reply carries no key')
    const masterKey = aesEcbDecrypt(passwordKey, b64decode(reply.k))
    const sid = sessionIdFromLogin(reply, masterKey)
    api.sid = sid
    const me = await api.request<UserReply>({a: 'ug'})
    return {apiUrl: api.apiUrl, sid, masterKey: b64encode(masterKey), userHandle: me.u, email: me.email ?? user, name: me.name}
  } catch (error) {
    throw loginFailure(error)
  }
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
    return {apiUrl: api.apiUrl, sid, masterKey: b64encode(masterKey), userHandle: me.u, email: me.email ?? '', name: me.name}
  } catch (error) {
    if (error instanceof MegaError && (error.code === -15 || error.code === -9)) {
      throw new CommandError('Login failed: the session is invalid or has expired', 15)
    }
    throw error
  }
}
