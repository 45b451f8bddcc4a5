import {randomBytes} from 'node:crypto'
import {ApiClient} from '../api/client.js'
import {aesEcbDecrypt, aesEcbEncrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {deriveKeysV2, hashedAuthKey, saltV2} from '../crypto/password.js'
import {checkTsid} from '../crypto/session-id.js'
import {MegaError} from '../errors.js'

export interface NewAccount {
  email: string
  password: string
  firstname: string
  lastname: string
}

export interface CreatedAccount {
  /** Handle of the new (still unconfirmed) user. */
  userHandle: string
}

/**
 * Creates an account with the v2 flow (mega-api.md §3.4, §3.5 v2; SDK MegaApiImpl createAccount →
 * CommandCreateEphemeralSession, CommandResumeEphemeralSession, putua firstname/lastname,
 * CommandSendSignupLink2): an ephemeral account keyed by a random 16-byte pw, its session (`tsid`), the names,
 * then `uc2` binds email and password (new salt from `crv`, `hak`, master key under the password key) and
 * the server mails the confirmation link. The ephemeral session is closed (`sml`) at the end.
 *
 * Runs on its own API client, so the caller's session and cache are never touched. `-12` from `uc2` means
 * the email already belongs to a confirmed account.
 */
export async function createAccount(apiUrl: string, account: NewAccount): Promise<CreatedAccount> {
  const api = new ApiClient({apiUrl})
  const masterKey = randomBytes(16)
  const pw = randomBytes(16)
  const ssc = randomBytes(16)
  const ts = Buffer.concat([ssc, aesEcbEncrypt(masterKey, ssc)])
  const userHandle = await api.request<string>({a: 'up', k: b64encode(aesEcbEncrypt(pw, masterKey)), ts: b64encode(ts)})
  if (typeof userHandle !== 'string') throw new MegaError(-1, 'the server did not create the ephemeral account')
  const resumed = await api.request<{tsid?: string; k?: string}>({a: 'us', user: userHandle})
  // The SDK checks both: k must decrypt to our master key under pw, and the tsid must carry its proof.
  if (!resumed.k || !aesEcbDecrypt(pw, b64decode(resumed.k)).equals(masterKey) || !resumed.tsid || !checkTsid(resumed.tsid, masterKey)) {
    throw new MegaError(-14, 'the ephemeral session does not match its keys')
  }
  api.sid = resumed.tsid
  try {
    await Promise.all([
      api.request({a: 'up2', firstname: b64encode(Buffer.from(account.firstname, 'utf8'))}),
      api.request({a: 'up2', lastname: b64encode(Buffer.from(account.lastname, 'utf8'))}),
    ])
    const crv = randomBytes(16)
    const {passwordKey, authKey} = deriveKeysV2(account.password, saltV2(crv))
    await api.request({
      a: 'uc2',
      n: b64encode(Buffer.from(`${account.firstname} ${account.lastname}`, 'utf8')),
      m: b64encode(Buffer.from(account.email, 'utf8')),
      crv: b64encode(crv),
      hak: b64encode(hashedAuthKey(authKey)),
      k: b64encode(aesEcbEncrypt(passwordKey, masterKey)),
      v: 2,
    })
  } finally {
    // The ephemeral session has served its purpose either way; a failed close changes nothing for the user.
    await api.request({a: 'sml'}).catch(() => undefined)
  }
  return {userHandle}
}
