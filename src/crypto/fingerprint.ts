import {open} from 'node:fs/promises'
import {crc32} from 'node:zlib'
import {b64decode, b64encode} from './base64.js'

/**
 * The SDK's sparse file fingerprint, stored in the `c` attribute: four CRC32s (big-endian) of the whole
 * content for files up to 8 KiB (the content itself, NUL-padded, up to 16 bytes), or of 32 evenly spread
 * 64-byte blocks each for larger files, followed by Serialize64(mtime) — one length byte, then the value
 * little-endian (meganz/sdk src/filefingerprint.cpp genfingerprint/serializefingerprint, serialize64.cpp).
 * Clients use it to recognise identical files without downloading them.
 */
const MAX_FULL = 8192
const BLOCK = 64
const BLOCKS_PER_CRC = MAX_FULL / (BLOCK * 4)

export async function fileFingerprint(path: string, size: number, mtimeSeconds: number): Promise<string> {
  if (size <= MAX_FULL) {
    const data = Buffer.alloc(size)
    const file = await open(path, 'r')
    try {
      await file.read(data, 0, size, 0)
    } finally {
      await file.close()
    }
    return contentFingerprint(data, mtimeSeconds)
  }
  const crc = Buffer.alloc(16)
  const file = await open(path, 'r')
  try {
    const block = Buffer.alloc(BLOCK * BLOCKS_PER_CRC)
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < BLOCKS_PER_CRC; j++) {
        await file.read(block, j * BLOCK, BLOCK, blockOffset(size, i, j))
      }
      crc.writeUInt32BE(crc32(block), i * 4)
    }
  } finally {
    await file.close()
  }
  return withMtime(crc, mtimeSeconds)
}

/** The same fingerprint of content held in memory (a small file read whole to be uploaded from memory). */
export function contentFingerprint(data: Buffer, mtimeSeconds: number): string {
  const size = data.length
  const crc = Buffer.alloc(16)
  if (size <= 16) {
    data.copy(crc, 0, 0, size)
  } else if (size <= MAX_FULL) {
    for (let i = 0; i < 4; i++) {
      const begin = Math.floor((i * size) / 4)
      const end = Math.floor(((i + 1) * size) / 4)
      crc.writeUInt32BE(crc32(data.subarray(begin, end)), i * 4)
    }
  } else {
    const block = Buffer.alloc(BLOCK * BLOCKS_PER_CRC)
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < BLOCKS_PER_CRC; j++) {
        const offset = blockOffset(size, i, j)
        data.copy(block, j * BLOCK, offset, offset + BLOCK)
      }
      crc.writeUInt32BE(crc32(block), i * 4)
    }
  }
  return withMtime(crc, mtimeSeconds)
}

/** Where block j of CRC i starts: 128 blocks spread evenly over the file. */
function blockOffset(size: number, i: number, j: number): number {
  return Number((BigInt(size - BLOCK) * BigInt(i * BLOCKS_PER_CRC + j)) / BigInt(4 * BLOCKS_PER_CRC - 1))
}

function withMtime(crc: Buffer, mtimeSeconds: number): string {
  return b64encode(Buffer.concat([crc, serialize64(Math.max(0, Math.floor(mtimeSeconds)))]))
}

function serialize64(value: number): Buffer {
  const bytes: number[] = []
  for (let v = BigInt(value); v > 0n; v >>= 8n) bytes.push(Number(v & 0xffn))
  return Buffer.from([bytes.length, ...bytes])
}

/** The CRC part of a fingerprint (to compare two files' content without their mtimes). */
export function fingerprintCrc(fingerprint: string): Buffer {
  return b64decode(fingerprint).subarray(0, 16)
}
