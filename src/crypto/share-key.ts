import {aesEcbDecrypt, aesEcbEncrypt} from './aes.js'
import {b64decode, b64encode} from './base64.js'
import {rsaDecrypt, rsaEncrypt, type RsaPrivateKey, type RsaPublicKey} from './rsa.js'

/**
 * The keys of a shared folder (mega-api.md §2.7, §6.2): one random 16-byte share key per folder; the owner keeps
 * it as `ok` = AES-ECB(masterKey, shareKey), authenticated by `ha`; each sharee gets it MEGA-RSA-encrypted to its
 * public key (`k` in `s2`, `sk` in its `f`), or later under its own master key.
 */
export const SHARE_KEY_LENGTH = 16

/**
 * `ha` = AES-ECB(masterKey, H ‖ H), H the 8 characters of the node handle's b64 (SDK MegaClient::handleauth,
 * megatools handle_auth, megajs shareFolder).
 */
export function handleAuth(masterKey: Uint8Array, handle: string): string {
  return b64encode(aesEcbEncrypt(masterKey, Buffer.from(handle + handle, 'ascii')))
}

/** An `ok` entry whose `ha` does not match is ignored (mega-api.md §2.7; SDK readokelement). */
export function verifyHandleAuth(masterKey: Uint8Array, handle: string, ha: string): boolean {
  return handle.length === 8 && handleAuth(masterKey, handle) === ha
}

/** The owner's copy of a share key, `ok`, with its `ha`. */
export function ownerShareKey(masterKey: Uint8Array, handle: string, shareKey: Uint8Array): {ok: string; ha: string} {
  return {ok: b64encode(aesEcbEncrypt(masterKey, shareKey)), ha: handleAuth(masterKey, handle)}
}

/** The share key for one sharee: MEGA-RSA-encrypted to its public key (SDK CommandSetShare as of 2021, `k`). */
export function shareKeyForUser(publicKey: RsaPublicKey, shareKey: Uint8Array): string {
  return b64encode(rsaEncrypt(publicKey, shareKey))
}

// b64 of 16 bytes is 22 characters; anything longer is an RSA ciphertext (SDK MegaClient::decryptkey).
const SYMMETRIC_KEY_CHARS = 22

/**
 * A sharee's copy of a share key (`sk`, `k`): RSA-encrypted to it when the owner sent it, or under its master key
 * once rewritten (SDK decryptkey picks by length). Undefined when it does not decrypt to 16 bytes.
 */
export function decryptShareKey(encrypted: string, keys: {masterKey: Uint8Array | null; privateKey: () => RsaPrivateKey | undefined}): Buffer | undefined {
  if (encrypted.length <= SYMMETRIC_KEY_CHARS) {
    const raw = b64decode(encrypted)
    return keys.masterKey && raw.length === SHARE_KEY_LENGTH ? aesEcbDecrypt(keys.masterKey, raw) : undefined
  }
  const privateKey = keys.privateKey()
  if (!privateKey) return undefined
  try {
    return rsaDecrypt(privateKey, b64decode(encrypted)).subarray(0, SHARE_KEY_LENGTH)
  } catch {
    return undefined
  }
}
