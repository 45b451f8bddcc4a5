import {createDecipheriv, hkdfSync} from 'node:crypto'
import {b64encode} from './base64.js'

const CONTAINER_VERSION = 20
const IV_LENGTH = 12
const TAG_LENGTH = 16
/** KeyManager record tags (include/mega/megaclient.h): the share keys, [node handle 6 ‖ key 16 ‖ flags 1]*. */
const TAG_SHAREKEYS = 48
const SHARE_KEY_RECORD = 6 + 16 + 1

/**
 * The share keys in the current SDK's `^!keys` user attribute, where it keeps every key of folders shared with or
 * by the account (SDK KeyManager::fromKeysContainer, unserialize, deserializeShareKeys): byte 20, a reserved
 * byte, a 12-byte IV, then AES-128-GCM (16-byte tag) under HKDF-SHA256(master key, no salt, info 0x01) of
 * records `tag (1) ‖ length (3, big-endian) ‖ value`. Empty when the attribute does not open.
 */
export function shareKeysFromKeysAttribute(masterKey: Uint8Array, container: Uint8Array): Map<string, Buffer> {
  const keys = new Map<string, Buffer>()
  const data = Buffer.from(container)
  if (data.length <= 2 + IV_LENGTH + TAG_LENGTH || data[0] !== CONTAINER_VERSION) return keys
  let plain: Buffer
  try {
    const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), Buffer.from([1]), 16))
    const decipher = createDecipheriv('aes-128-gcm', key, data.subarray(2, 2 + IV_LENGTH), {authTagLength: TAG_LENGTH})
    decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH))
    plain = Buffer.concat([decipher.update(data.subarray(2 + IV_LENGTH, data.length - TAG_LENGTH)), decipher.final()])
  } catch {
    return keys
  }
  for (let offset = 0; offset + 4 <= plain.length;) {
    const tag = plain[offset]
    const length = plain.readUIntBE(offset + 1, 3)
    const value = plain.subarray(offset + 4, offset + 4 + length)
    offset += 4 + length
    if (tag !== TAG_SHAREKEYS) continue
    for (let i = 0; i + SHARE_KEY_RECORD <= value.length; i += SHARE_KEY_RECORD) {
      keys.set(b64encode(value.subarray(i, i + 6)), Buffer.from(value.subarray(i + 6, i + 22)))
    }
  }
  return keys
}
