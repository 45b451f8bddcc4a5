import {aesCbcDecrypt, aesCbcEncrypt, zeroPad16} from './aes.js'
import {b64decode, b64encode} from './base64.js'

/**
 * Node attributes: "MEGA" + JSON, zero-padded to 16, AES-CBC with a zero IV under the node's AES key
 * (mega-api.md §2.5; SDK MegaClient::makeattr, megajs packAttributes/unpackAttributes).
 * Like the SDK, no padding is added when the length is already a multiple of 16.
 */
export type NodeAttributes = Record<string, unknown> & {n?: string}

export function encryptAttributes(aesKey: Uint8Array, attrs: NodeAttributes): string {
  return b64encode(aesCbcEncrypt(aesKey, zeroPad16(Buffer.from('MEGA' + JSON.stringify(attrs), 'utf8'))))
}

/** Returns null when the key is wrong or the plaintext is not a MEGA attribute block. */
export function decryptAttributes(aesKey: Uint8Array, encrypted: string): NodeAttributes | null {
  const data = b64decode(encrypted)
  if (data.length === 0 || data.length % 16 !== 0) return null
  let text = aesCbcDecrypt(aesKey, data).toString('utf8')
  const nul = text.indexOf('\0')
  if (nul >= 0) text = text.slice(0, nul)
  if (!text.startsWith('MEGA{')) return null
  try {
    const parsed: unknown = JSON.parse(text.slice(4))
    return parsed && typeof parsed === 'object' ? (parsed as NodeAttributes) : null
  } catch {
    return null
  }
}
