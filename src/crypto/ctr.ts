import {createCipheriv, type Cipher} from 'node:crypto'

import {CRYPTO_SLICE as SLICE} from './crypto-slice.js'

/**
 * File content encryption: AES-128-CTR with counter block nonce(8) ‖ (byteOffset / 16) as a 64-bit big-endian
 * number (mega-api.md §5.2; megatools encrypt_aes128_ctr, go-mega UploadChunk/DownloadChunk). Any range that
 * starts at a multiple of 16 bytes can be en/decrypted on its own; encryption and decryption are the same
 * operation.
 */


/** The counter block for the 16-byte block at `offset` (a multiple of 16). */
export function ctrCounterBlock(nonce: Uint8Array, offset: number): Buffer {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % 16 !== 0) {
    throw new RangeError(`CTR offsets must be non-negative multiples of 16, got ${offset}`)
  }
  if (nonce.length < 8) throw new RangeError(`the nonce has 8 bytes, got ${nonce.length}`)
  const block = Buffer.alloc(16)
  block.set(nonce.subarray(0, 8), 0)
  block.writeBigUInt64BE(BigInt(offset / 16), 8)
  return block
}

/**
 * A streaming AES-CTR cipher positioned at `offset`: feed it consecutive bytes in pieces of any size. OpenSSL
 * increments all 128 bits of the counter, which equals the 64-bit increment for any file smaller than 2^68 bytes.
 */
export function createCtrCipher(aesKey: Uint8Array, nonce: Uint8Array, offset: number): Cipher {
  return createCipheriv('aes-128-ctr', aesKey, ctrCounterBlock(nonce, offset))
}

/** En/decrypts `data`, which sits at byte `offset` of the file, into a new buffer. */
export function aesCtr(aesKey: Uint8Array, nonce: Uint8Array, offset: number, data: Uint8Array): Buffer {
  return Buffer.concat(aesCtrSlices(aesKey, nonce, offset, data), data.length)
}

/**
 * En/decrypts `data` at `offset` into a list of slices (concatenated they are the result). Transfer code writes
 * the slices straight to a socket or a file, which saves the copy into one big buffer.
 */
export function aesCtrSlices(aesKey: Uint8Array, nonce: Uint8Array, offset: number, data: Uint8Array): Buffer[] {
  const cipher = createCtrCipher(aesKey, nonce, offset)
  const out: Buffer[] = []
  for (let pos = 0; pos < data.length; pos += SLICE) out.push(cipher.update(data.subarray(pos, pos + SLICE)))
  return out
}

/**
 * En/decrypts `data` at `offset` into `out` (at least data.length bytes; may be `data` itself). Each OpenSSL output
 * slice is copied and dropped at once, so bulk transfers neither keep thousands of small buffers alive (GC
 * pressure) nor allocate one huge output.
 */
export function aesCtrInto(aesKey: Uint8Array, nonce: Uint8Array, offset: number, data: Uint8Array, out: Uint8Array): void {
  if (out.length < data.length) throw new RangeError(`output has ${out.length} bytes, need ${data.length}`)
  const cipher = createCtrCipher(aesKey, nonce, offset)
  for (let pos = 0; pos < data.length; pos += SLICE) out.set(cipher.update(data.subarray(pos, pos + SLICE)), pos)
}
