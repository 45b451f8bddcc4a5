import {randomBytes} from 'node:crypto'
import type {ApiClient} from '../api/client.js'
import {aesEcbDecrypt, aesEcbEncrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {deriveKeysV2, hashedAuthKey, passwordKeyV1, saltV2, userHashV1} from '../crypto/password.js'
import {CommandError, failedTo, MegaError} from '../errors.js'
import {passwordProof, prelogin, type UserReply} from '../session/login.js'
import type {SessionRecord} from '../session/session-record.js'

export interface PasswordChange {
  newPassword: string
  /** When given, checked locally against the account before anything is changed. */
  oldPassword?: string
  /** Two-factor code, for accounts with 2FA (the server answers -26 without one). */
  authCode?: string
}

interface AccountKeys {
  version: number
  salt?: string
  /** The master key under the current password key (`ug.k`). */
  k?: string
}

/** `ug` tells the account version (`aav`) and v2 salt (`aas`); older servers only tell them through `us0`. */
async function accountKeys(api: ApiClient, session: SessionRecord): Promise<AccountKeys> {
  const me = await api.request<UserReply>({a: 'ug'})
  if (me.aav === 1 || (me.aav === 2 && me.aas)) return {version: me.aav, salt: me.aas, k: me.k}
  const pre = await prelogin(api, session.email)
  return {version: pre.v ?? 0, salt: pre.s, k: me.k}
}

/**
 * True when `password` is the account's current password: its key must decrypt `ug.k` to the master key
 * this session holds (the check the SDK's checkPassword makes, without a login).
 */
function matchesMasterKey(keys: AccountKeys, session: SessionRecord, password: string): boolean {
  if (!keys.k) return false
  const {passwordKey} = passwordProof(keys.version, keys.salt, session.email, password)
  return aesEcbDecrypt(passwordKey, b64decode(keys.k)).equals(b64decode(session.masterKey))
}

/**
 * Changes the password with `up {k, uh[, crv][, mfa]}` (mega-api.md §3.6; SDK changePasswordV1/V2,
 * CommandSetMasterKey). v2: a new client random value gives a new salt; k = master key under the new
 * password key, uh = the hashed auth key. v1: k under the new v1 key, uh = the new email hash. The account
 * keeps its version. Sessions stay valid (the master key does not change).
 *
 * -26 (2FA code needed) is left to the caller, which may ask for the code; -5 is a wrong code.
 */
export async function changePassword(api: ApiClient, session: SessionRecord, change: PasswordChange): Promise<void> {
  const keys = await accountKeys(api, session)
  if (change.oldPassword !== undefined && !matchesMasterKey(keys, session, change.oldPassword)) {
    throw new CommandError('Password unchanged: the old password is wrong', 9)
  }
  const masterKey = b64decode(session.masterKey)
  const command: Record<string, unknown> = {a: 'up'}
  if (keys.version === 2) {
    const crv = randomBytes(16)
    const {passwordKey, authKey} = deriveKeysV2(change.newPassword, saltV2(crv))
    Object.assign(command, {k: b64encode(aesEcbEncrypt(passwordKey, masterKey)), uh: b64encode(hashedAuthKey(authKey)), crv: b64encode(crv)})
  } else if (keys.version === 1) {
    const passwordKey = passwordKeyV1(change.newPassword)
    Object.assign(command, {k: b64encode(aesEcbEncrypt(passwordKey, masterKey)), uh: userHashV1(session.email, passwordKey)})
  } else {
    throw new MegaError(-1, `unsupported account version ${keys.version}`)
  }
  if (change.authCode) command.mfa = change.authCode
  try {
    await api.request(command as {a: string})
  } catch (error) {
    if (error instanceof MegaError && error.code === -26) throw error
    if (error instanceof MegaError && error.code === -5) throw new MegaError(-5, 'Password unchanged: invalid authentication code')
    throw failedTo('change password', error)
  }
}
