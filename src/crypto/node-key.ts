import {aesEcbDecrypt, aesEcbEncrypt} from './aes.js'
import {b64decode, b64encode} from './base64.js'

/**
 * File keys are 32 bytes k0..k7 (32-bit words) packing the AES key a, the CTR nonce n and the condensed
 * MAC m: k = [a0^n0, a1^n1, a2^m0, a3^m1, n0, n1, m0, m1] (mega-api.md §2.6; megatools pack_node_key,
 * go-mega Upload.Finish). Folder keys are plain 16-byte AES keys.
 */
export interface FileKeyParts {
  aesKey: Buffer
  nonce: Buffer
  mac: Buffer
}

export function packFileKey({aesKey, nonce, mac}: FileKeyParts): Buffer {
  const key = Buffer.alloc(32)
  const xorWith = Buffer.concat([nonce, mac])
  for (let i = 0; i < 16; i++) key[i] = aesKey[i] ^ xorWith[i]
  xorWith.copy(key, 16)
  return key
}

export function unpackFileKey(key: Uint8Array): FileKeyParts {
  if (key.length !== 32) throw new RangeError(`a file key has 32 bytes, got ${key.length}`)
  return {aesKey: foldKey(key), nonce: Buffer.from(key.subarray(16, 24)), mac: Buffer.from(key.subarray(24, 32))}
}

/** The AES key of a node: folders use their key as is; file keys fold their two halves together. */
export function foldKey(key: Uint8Array): Buffer {
  if (key.length === 16) return Buffer.from(key)
  const out = Buffer.alloc(16)
  for (let i = 0; i < 16; i++) out[i] = key[i] ^ key[i + 16]
  return out
}

/** Encrypts a 16- or 32-byte node key under a 16-byte key (master or share key), ECB block by block. */
export function encryptNodeKey(wrappingKey: Uint8Array, nodeKey: Uint8Array): string {
  return b64encode(aesEcbEncrypt(wrappingKey, nodeKey))
}

export function decryptNodeKey(wrappingKey: Uint8Array, encrypted: string): Buffer {
  return aesEcbDecrypt(wrappingKey, b64decode(encrypted))
}

/**
 * Splits a node's `k` field ("<id>:<b64 key>/<id>:<b64 key>…") into its pairs
 * (SDK Node::applykey, megatools mega_node_parse).
 */
export function parseKeyField(k: string): Array<{id: string; key: string}> {
  return k.split('/').map((pair) => {
    const colon = pair.indexOf(':')
    return colon < 0 ? {id: '', key: pair} : {id: pair.slice(0, colon), key: pair.slice(colon + 1)}
  }).filter((p) => p.key.length > 0)
}
