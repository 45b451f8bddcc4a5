import {expect} from 'chai'
import {createCipheriv, randomBytes} from 'node:crypto'
import {encrypt, verify} from 'megajs'

import {
  chunkLengthsOfPiece,
  chunkMac,
  condenseMac,
  FileMacBuilder,
  fileMac,
  isMacChunkBoundary,
  macChunkCount,
  macChunkIndexAt,
  macChunkSize,
  macChunkStart,
} from '../../src/crypto/file-mac.js'
import {packFileKey} from '../../src/crypto/node-key.js'

/**
 * Slow, independent reference written straight from the SDK/megatools formula (mega-api.md §5.2): block-by-block
 * AES-ECB, chunk sizes grown step by step, no shared code with src/crypto/file-mac.ts.
 */
function referenceCondensedMac(key: Buffer, nonce: Buffer, data: Buffer): Buffer {
  const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false)
  const aes = (block: Buffer): Buffer => ecb.update(block)
  const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((v, i) => v ^ b[i]))
  const chunkMacs: Buffer[] = []
  let pos = 0
  for (let i = 0; pos < data.length; i++) {
    const size = i < 8 ? 131072 * (i + 1) : 1048576
    const chunk = data.subarray(pos, Math.min(pos + size, data.length))
    let m: Buffer = Buffer.concat([nonce, nonce])
    for (let b = 0; b < chunk.length; b += 16) {
      const block = Buffer.alloc(16)
      chunk.copy(block, 0, b, Math.min(b + 16, chunk.length))
      m = aes(xor(m, block))
    }
    chunkMacs.push(m)
    pos += chunk.length
  }
  let meta: Buffer = Buffer.alloc(16)
  for (const m of chunkMacs) meta = aes(xor(meta, m))
  const out = Buffer.alloc(8)
  out.writeUInt32BE((meta.readUInt32BE(0) ^ meta.readUInt32BE(4)) >>> 0, 0)
  out.writeUInt32BE((meta.readUInt32BE(8) ^ meta.readUInt32BE(12)) >>> 0, 4)
  return out
}

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')
const NONCE = Buffer.from('f0f1f2f3f4f5f6f7', 'hex')

/** Deterministic data: byte i = (31·i + 7) mod 256. */
function pattern(size: number): Buffer {
  const data = Buffer.alloc(size)
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff
  return data
}

/** megajs 1.3.10's condensed MAC: its `encrypt` stream with key = AES key ‖ nonce (24 bytes). */
async function megajsMac(key: Buffer, nonce: Buffer, data: Buffer): Promise<Buffer> {
  const stream = encrypt(Buffer.concat([key, nonce])) as NodeJS.ReadWriteStream & {mac?: Buffer}
  // A copy: megajs encrypts the buffers written to it in place.
  stream.end(Buffer.from(data))
  for await (const _ of stream) { /* drain the ciphertext */ }
  return stream.mac!
}

/** megajs 1.3.10's `verify` stream over the plaintext with a packed 32-byte file key; resolves true when it accepts. */
async function megajsVerifies(fileKey: Buffer, data: Buffer): Promise<boolean> {
  const stream = verify(fileKey) as NodeJS.ReadWriteStream
  try {
    stream.end(Buffer.from(data))
    for await (const _ of stream) { /* verify emits nothing */ }
    return true
  } catch (error) {
    if ((error as Error).message === 'MAC verification failed') return false
    throw error
  }
}

describe('file MAC (crypto/file-mac)', () => {
  describe('chunk grid', () => {
    it('grows by 128 KiB for 8 chunks, then uses 1 MiB chunks', () => {
      const starts = Array.from({length: 11}, (_, i) => macChunkStart(i) / 1024)
      expect(starts).to.deep.equal([0, 128, 384, 768, 1280, 1920, 2688, 3584, 4608, 5632, 6656])
      expect([0, 7, 8, 100].map(macChunkSize)).to.deep.equal([131072, 1048576, 1048576, 1048576])
    })

    it('maps offsets to chunks and counts chunks per size', () => {
      expect(macChunkIndexAt(0)).to.equal(0)
      expect(macChunkIndexAt(131071)).to.equal(0)
      expect(macChunkIndexAt(131072)).to.equal(1)
      expect(macChunkIndexAt(4718591)).to.equal(7)
      expect(macChunkIndexAt(4718592)).to.equal(8)
      expect(macChunkIndexAt(4718592 + 1048576 * 3 + 5)).to.equal(11)
      expect([0, 1, 131072, 131073, 393216, 393217].map(macChunkCount)).to.deep.equal([0, 1, 1, 2, 2, 3])
      expect(isMacChunkBoundary(393216)).to.equal(true)
      expect(isMacChunkBoundary(393216 + 16)).to.equal(false)
    })

    it('lists the chunk lengths of a piece, the last one cut at the end of the file', () => {
      expect(chunkLengthsOfPiece(0, 393216, 393216 + 5)).to.deep.equal({first: 0, lengths: [131072, 262144]})
      expect(chunkLengthsOfPiece(393216, 5, 393216 + 5)).to.deep.equal({first: 2, lengths: [5]})
      expect(() => chunkLengthsOfPiece(16, 131056, 393216)).to.throw(RangeError)
      expect(() => chunkLengthsOfPiece(0, 131088, 393216)).to.throw(RangeError)
    })
  })

  describe('known answers (SDK / megatools formula)', () => {
    // Computed by referenceCondensedMac above for KEY, NONCE and pattern(size); fixed here so that a change in
    // both implementations at once is still caught.
    const expected: Array<[number, string]> = [
      [0, '0000000000000000'],
      [1, 'fbb5d8809b70b41b'],
      [100, '5c61957ceda43b14'],
      [131072, '1d2f1eddcbd220af'],
      [131073, '5b1be64943c4da8d'],
      [393216, 'f0b5162129200e54'],
      [1048576 + 5, '2cd774bd8bf74cf2'],
      [4718592, '7299940a04768777'],
    ]
    for (const [size, hex] of expected) {
      it(`${size} bytes → ${hex}`, () => {
        const data = pattern(size)
        expect(referenceCondensedMac(KEY, NONCE, data).toString('hex')).to.equal(hex)
        expect(fileMac(KEY, NONCE, data).toString('hex')).to.equal(hex)
      })
    }

    it('agrees with the reference on random keys, nonces and sizes', () => {
      for (const size of [15, 16, 17, 131071, 262145, 2 * 1048576 + 3]) {
        const key = randomBytes(16)
        const nonce = randomBytes(8)
        const data = randomBytes(size)
        expect(fileMac(key, nonce, data).toString('hex'), `size ${size}`).to.equal(referenceCondensedMac(key, nonce, data).toString('hex'))
      }
    })

    it('gives MAC 0 for an empty file, like the SDK and megatools', () => {
      expect(fileMac(randomBytes(16), randomBytes(8), Buffer.alloc(0)).toString('hex')).to.equal('0000000000000000')
    })
  })

  describe('chunk MAC and condensing', () => {
    it('computes a chunk MAC as CBC-MAC with IV nonce‖nonce, zero-padding the last block', () => {
      const data = pattern(40)
      const ecb = createCipheriv('aes-128-ecb', KEY, null).setAutoPadding(false)
      let m: Buffer = Buffer.concat([NONCE, NONCE])
      for (let b = 0; b < 48; b += 16) {
        const block = Buffer.alloc(16)
        data.copy(block, 0, b, Math.min(b + 16, 40))
        m = ecb.update(Buffer.from(m.map((v, i) => v ^ block[i])))
      }
      expect(chunkMac(KEY, NONCE, data).toString('hex')).to.equal(m.toString('hex'))
    })

    it('condenses [M0^M1, M2^M3]', () => {
      const meta = Buffer.from('0102030411111111a0b0c0d00f0f0f0f', 'hex')
      expect(condenseMac(meta).toString('hex')).to.equal('10131215afbfcfdf')
    })
  })

  describe('FileMacBuilder', () => {
    it('accepts chunk MACs out of order and condenses them in file order', () => {
      const size = 4718592 + 1048576 * 2 + 77
      const data = randomBytes(size)
      const key = randomBytes(16)
      const nonce = randomBytes(8)
      const builder = new FileMacBuilder(key, nonce, size)
      const count = macChunkCount(size)
      expect(count).to.equal(11)
      for (let index = count - 1; index >= 0; index--) {
        const start = macChunkStart(index)
        builder.setChunkMac(index, chunkMac(key, nonce, data.subarray(start, Math.min(start + macChunkSize(index), size))))
      }
      expect(builder.condensed().toString('hex')).to.equal(referenceCondensedMac(key, nonce, data).toString('hex'))
    })

    it('takes pieces of whole chunks in any order', () => {
      const size = 4718592 + 300
      const data = randomBytes(size)
      const builder = new FileMacBuilder(KEY, NONCE, size)
      expect(builder.addPlaintext(4718592, data.subarray(4718592))).to.deep.equal({first: 8, count: 1})
      expect(builder.complete).to.equal(false)
      builder.addPlaintext(393216, data.subarray(393216, 4718592))
      builder.addPlaintext(0, data.subarray(0, 393216))
      expect(builder.complete).to.equal(true)
      expect(builder.condensed().toString('hex')).to.equal(fileMac(KEY, NONCE, data).toString('hex'))
    })

    it('refuses to condense while a chunk MAC is missing, and rejects pieces off the grid', () => {
      const builder = new FileMacBuilder(KEY, NONCE, 393216)
      builder.addPlaintext(0, pattern(131072))
      expect(() => builder.condensed()).to.throw(/1 chunk MACs missing \(first: chunk 1\)/)
      expect(() => builder.addPlaintext(16, pattern(32))).to.throw(RangeError)
      expect(() => builder.setChunkMac(2, Buffer.alloc(16))).to.throw(RangeError)
    })
  })

  describe('megajs 1.3.10', () => {
    for (const size of [1, 100, 131073, 1000000]) {
      it(`agrees at ${size} bytes (encrypt's MAC, and verify accepts our file key)`, async () => {
        const key = randomBytes(16)
        const nonce = randomBytes(8)
        const data = randomBytes(size)
        const ours = fileMac(key, nonce, data)
        expect((await megajsMac(key, nonce, data)).toString('hex')).to.equal(ours.toString('hex'))
        expect(await megajsVerifies(packFileKey({aesKey: key, nonce, mac: ours}), data)).to.equal(true)
      })
    }

    // mega-api.md §5.2 "megajs deviation": at a size that ends exactly on a chunk boundary megajs appends one extra
    // chunk MAC (the bare nonce‖nonce block), so its MAC differs from the SDK's and it rejects correct keys.
    for (const size of [131072, 393216]) {
      it(`disagrees at ${size} bytes (megajs bug: extra chunk MAC on a chunk boundary)`, async () => {
        const data = pattern(size)
        const ours = fileMac(KEY, NONCE, data)
        expect(ours.toString('hex')).to.equal(referenceCondensedMac(KEY, NONCE, data).toString('hex'))
        expect((await megajsMac(KEY, NONCE, data)).toString('hex')).to.not.equal(ours.toString('hex'))
        expect(await megajsVerifies(packFileKey({aesKey: KEY, nonce: NONCE, mac: ours}), data)).to.equal(false)
      })
    }

    it('disagrees on an empty file (megajs condenses AES(a, n‖n), the SDK gives 0)', async () => {
      expect((await megajsMac(KEY, NONCE, Buffer.alloc(0))).toString('hex')).to.not.equal('0000000000000000')
    })
  })
})
