import {randomBytes} from 'node:crypto'
import {aesEcbEncrypt} from './aes.js'
import {b64decode} from './base64.js'

/**
 * Session ids are 43 bytes: random[0..16) ‖ b64(userHandle) (11 ASCII chars) ‖ random[27..43)
 * (mega-api.md §2.4; SDK megaclient.h SIDLEN, CommandLogin::procresult).
 */
export const SID_LENGTH = 43

/** A new sid for `userHandle`; the first byte is non-zero because megajs/megatools/go-mega strip leading zeros. */
export function newSessionId(userHandle: string): Buffer {
  const sid = randomBytes(SID_LENGTH)
  if (sid[0] === 0) sid[0] = 1
  sid.write(userHandle, 16, 'ascii')
  return sid
}

/**
 * Temporary session id of an account without an RSA key: ts[0..16) ‖ b64(userHandle) ‖ ts[16..32) where
 * ts = ssc ‖ AES-ECB(masterKey, ssc) (SDK MegaClient::checktsid).
 */
export function buildTsid(ts: Uint8Array, userHandle: string): Buffer {
  return Buffer.concat([Buffer.from(ts.subarray(0, 16)), Buffer.from(userHandle, 'ascii'), Buffer.from(ts.subarray(16, 32))])
}

export function checkTsid(tsid: string, masterKey: Uint8Array): boolean {
  const raw = b64decode(tsid)
  if (raw.length !== SID_LENGTH) return false
  return aesEcbEncrypt(masterKey, raw.subarray(0, 16)).equals(raw.subarray(27, 43))
}
