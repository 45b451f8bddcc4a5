import {createCipheriv, createDecipheriv, type Cipher, type Decipher} from 'node:crypto'

/**
 * AES-128 primitives as the MEGA protocol uses them: ECB block by block, and CBC with an all-zero IV
 * (mega-api.md "Conventions"). All inputs must be multiples of 16 bytes.
 */
const ZERO_IV = Buffer.alloc(16)

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  return runCipher(createCipheriv('aes-128-ecb', key, null), data)
}

export function aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  return runCipher(createDecipheriv('aes-128-ecb', key, null), data)
}

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Buffer {
  return runCipher(createCipheriv('aes-128-cbc', key, iv), data)
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  return runCipher(createDecipheriv('aes-128-cbc', key, ZERO_IV), data)
}

/**
 * An ECB encryptor that is reused for many blocks under one key. ECB keeps no state between
 * blocks, so one OpenSSL context serves thousands of calls (the password key derivation needs
 * 65536 rounds; a new context per block would cost ~20x more).
 */
export function ecbEncryptor(key: Uint8Array): (block: Uint8Array) => Buffer {
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false)
  return (block) => cipher.update(block)
}

/** The decrypting counterpart of ecbEncryptor: one OpenSSL context for many blocks under one key. */
export function ecbDecryptor(key: Uint8Array): (data: Uint8Array) => Buffer {
  const decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false)
  return (data) => {
    if (data.length % 16 !== 0) throw new RangeError(`AES input must be a multiple of 16 bytes, got ${data.length}`)
    return decipher.update(data)
  }
}

function runCipher(cipher: Cipher | Decipher, data: Uint8Array): Buffer {
  if (data.length % 16 !== 0) throw new RangeError(`AES input must be a multiple of 16 bytes, got ${data.length}`)
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(data), cipher.final()])
}

/** Zero-pads to a multiple of 16 bytes (at least one block when `minOne`). */
export function zeroPad16(data: Uint8Array, minOne = false): Buffer {
  const len = Math.max(minOne ? 16 : 0, Math.ceil(data.length / 16) * 16)
  const out = Buffer.alloc(len)
  out.set(data)
  return out
}
