import {createCipheriv} from 'node:crypto'

import {CRYPTO_SLICE as SLICE} from './crypto-slice.js'

/**
 * The file MAC exactly as the official SDK and megatools compute it (mega-api.md §5.2; megatools
 * chunked_cbc_mac, SDK chunkmac_map::macsmac). megajs is NOT the reference: it appends an extra chunk MAC
 * when the size ends on a chunk boundary and for empty files (mega-api.md §5.2 "megajs deviation").
 *
 * - Chunk grid: chunk i has 131072·(i+1) bytes for i < 8, then 1 MiB.
 * - Chunk MAC: CBC-MAC of the zero-padded plaintext chunk with IV = nonce ‖ nonce. That is the last block of an
 *   AES-CBC encryption with that IV, so one OpenSSL call per chunk replaces one AES call per 16 bytes.
 * - Meta-MAC: M = 0; M = AES(M ⊕ chunkMac) for every chunk in order, i.e. the last block of AES-CBC with a zero
 *   IV over the concatenated chunk MACs. A file without chunks (0 bytes) has M = 0.
 * - Condensed MAC: the 8 bytes [M0⊕M1, M2⊕M3] (32-bit words).
 */

const GROWTH = 131072
const GROWING_CHUNKS = 8
const MIB = 1048576
/** Where the first 1 MiB chunk starts: 131072·(1+2+…+8) = 4718592 (4608 KiB). */
const GROWING_END = GROWTH * (GROWING_CHUNKS * (GROWING_CHUNKS + 1)) / 2

/** Byte offset where MAC chunk `index` starts. */
export function macChunkStart(index: number): number {
  if (index <= GROWING_CHUNKS) return GROWTH * (index * (index + 1)) / 2
  return GROWING_END + (index - GROWING_CHUNKS) * MIB
}

/** Nominal size of MAC chunk `index` (the last chunk of a file may be shorter). */
export function macChunkSize(index: number): number {
  return index < GROWING_CHUNKS ? GROWTH * (index + 1) : MIB
}

/** Index of the MAC chunk that contains byte `offset`. */
export function macChunkIndexAt(offset: number): number {
  if (offset >= GROWING_END) return GROWING_CHUNKS + Math.floor((offset - GROWING_END) / MIB)
  let index = 0
  while (macChunkStart(index + 1) <= offset) index++
  return index
}

/** True when a MAC chunk starts exactly at `offset`. */
export function isMacChunkBoundary(offset: number): boolean {
  return macChunkStart(macChunkIndexAt(offset)) === offset
}

/** Number of MAC chunks of a file of `size` bytes (0 for an empty file: the SDK computes no chunk MAC). */
export function macChunkCount(size: number): number {
  return size === 0 ? 0 : macChunkIndexAt(size - 1) + 1
}

/** The IV of every chunk MAC: nonce ‖ nonce. */
export function chunkMacIv(nonce: Uint8Array): Buffer {
  const iv = Buffer.alloc(16)
  iv.set(nonce.subarray(0, 8), 0)
  iv.set(nonce.subarray(0, 8), 8)
  return iv
}

/** CBC-MAC of one chunk of plaintext (zero-padded to a whole block; an empty chunk gives nonce ‖ nonce). */
export function chunkMac(aesKey: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  return cbcLastBlock(aesKey, chunkMacIv(nonce), plaintext)
}

/** The 16-byte meta-MAC of chunk MACs given in file order (concatenated or as a list). */
export function metaMac(aesKey: Uint8Array, chunkMacs: Uint8Array | readonly Uint8Array[]): Buffer {
  const joined = chunkMacs instanceof Uint8Array ? chunkMacs : Buffer.concat(chunkMacs)
  if (joined.length % 16 !== 0) throw new RangeError(`chunk MACs are 16 bytes each, got ${joined.length} bytes`)
  return cbcLastBlock(aesKey, Buffer.alloc(16), joined)
}

/** Folds a 16-byte meta-MAC to the 8 bytes stored in the file key: [M0⊕M1, M2⊕M3]. */
export function condenseMac(meta: Uint8Array): Buffer {
  const out = Buffer.alloc(8)
  for (let i = 0; i < 4; i++) {
    out[i] = meta[i] ^ meta[i + 4]
    out[i + 4] = meta[i + 8] ^ meta[i + 12]
  }
  return out
}

/** The condensed 8-byte MAC of a whole file held in memory. */
export function fileMac(aesKey: Uint8Array, nonce: Uint8Array, data: Uint8Array): Buffer {
  const builder = new FileMacBuilder(aesKey, nonce, data.length)
  if (data.length > 0) builder.addPlaintext(0, data)
  return builder.condensed()
}

/**
 * Collects the chunk MACs of one file in any order (parallel transfers finish pieces out of order) and
 * condenses them in file order at the end.
 */
export class FileMacBuilder {
  readonly chunkCount: number
  private readonly macs: Buffer
  private readonly present: Uint8Array
  private missingCount: number

  constructor(private readonly aesKey: Uint8Array, private readonly nonce: Uint8Array, readonly size: number) {
    if (aesKey.length !== 16) throw new RangeError(`the AES key has 16 bytes, got ${aesKey.length}`)
    if (nonce.length < 8) throw new RangeError(`the nonce has 8 bytes, got ${nonce.length}`)
    this.chunkCount = macChunkCount(size)
    this.macs = Buffer.alloc(this.chunkCount * 16)
    this.present = new Uint8Array(this.chunkCount)
    this.missingCount = this.chunkCount
  }

  /** Records the MAC of chunk `index`. Setting a chunk twice (a retried piece) keeps the latest value. */
  setChunkMac(index: number, mac: Uint8Array): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.chunkCount) {
      throw new RangeError(`MAC chunk ${index} is outside a file of ${this.size} bytes`)
    }
    if (mac.length !== 16) throw new RangeError(`a chunk MAC has 16 bytes, got ${mac.length}`)
    this.macs.set(mac, index * 16)
    if (!this.present[index]) {
      this.present[index] = 1
      this.missingCount--
    }
  }

  /** Records the MACs of consecutive chunks from `first` on, given concatenated (16 bytes each). */
  setChunkMacs(first: number, macs: Uint8Array): void {
    if (macs.length % 16 !== 0) throw new RangeError(`chunk MACs are 16 bytes each, got ${macs.length} bytes`)
    for (let i = 0; i < macs.length / 16; i++) this.setChunkMac(first + i, macs.subarray(i * 16, i * 16 + 16))
  }

  /**
   * MACs plaintext that starts on a chunk boundary and covers whole chunks (the last one may end at the end of
   * the file). Returns the indexes of the chunks it covered.
   */
  addPlaintext(offset: number, plaintext: Uint8Array): {first: number; count: number} {
    const {first, count} = chunksOfPiece(offset, plaintext.length, this.size)
    const iv = chunkMacIv(this.nonce)
    for (let index = first; index < first + count; index++) {
      const start = macChunkStart(index) - offset
      const end = Math.min(start + macChunkSize(index), plaintext.length)
      this.setChunkMac(index, cbcLastBlock(this.aesKey, iv, plaintext.subarray(start, end)))
    }
    return {first, count}
  }

  /** A copy of the MACs of `count` chunks from `first` on, concatenated (what a resume point keeps). */
  chunkMacs(first: number, count: number): Buffer {
    return Buffer.from(this.macs.subarray(first * 16, (first + count) * 16))
  }

  /** True once every chunk MAC is known. */
  get complete(): boolean {
    return this.missingCount === 0
  }

  /** The condensed 8-byte MAC; throws while a chunk MAC is missing. */
  condensed(): Buffer {
    if (this.missingCount > 0) {
      const missing = this.present.indexOf(0)
      throw new Error(`cannot condense the file MAC: ${this.missingCount} chunk MACs missing (first: chunk ${missing})`)
    }
    return condenseMac(metaMac(this.aesKey, this.macs))
  }
}

/**
 * The MAC chunks covered by a piece [offset, offset+length) of a file of `size` bytes. The piece must start on a
 * chunk boundary and end on one or at the end of the file.
 */
export function chunksOfPiece(offset: number, length: number, size: number): {first: number; count: number} {
  const end = offset + length
  if (offset < 0 || end > size) throw new RangeError(`piece ${offset}+${length} is outside a file of ${size} bytes`)
  if (length === 0) return {first: macChunkIndexAt(offset), count: 0}
  if (!isMacChunkBoundary(offset)) throw new RangeError(`piece offset ${offset} is not on the MAC chunk grid`)
  if (end !== size && !isMacChunkBoundary(end)) throw new RangeError(`piece end ${end} is not on the MAC chunk grid`)
  const first = macChunkIndexAt(offset)
  return {first, count: macChunkIndexAt(end - 1) + 1 - first}
}

/** The sizes of the MAC chunks covered by a piece (see chunksOfPiece), in order. */
export function chunkLengthsOfPiece(offset: number, length: number, size: number): {first: number; lengths: number[]} {
  const {first, count} = chunksOfPiece(offset, length, size)
  const lengths: number[] = []
  for (let index = first; index < first + count; index++) {
    lengths.push(Math.min(macChunkStart(index) + macChunkSize(index), offset + length) - macChunkStart(index))
  }
  return {first, lengths}
}

/**
 * The last block of AES-128-CBC(key, iv) over `data` zero-padded to whole blocks (`iv` itself for no data).
 * Whole blocks go through OpenSSL in slices; only a partial last block is copied to pad it.
 */
function cbcLastBlock(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  if (data.length === 0) return Buffer.from(iv)
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false)
  const whole = data.length - (data.length % 16)
  let last: Buffer | undefined
  for (let pos = 0; pos < whole; pos += SLICE) last = cipher.update(data.subarray(pos, Math.min(pos + SLICE, whole)))
  if (whole < data.length) {
    const tail = Buffer.alloc(16)
    tail.set(data.subarray(whole))
    last = cipher.update(tail)
  }
  // The cipher is dropped without final(): no padding is wanted and no output is pending.
  return Buffer.from(last!.subarray(last!.length - 16))
}
