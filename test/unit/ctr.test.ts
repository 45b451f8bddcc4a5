import {expect} from 'chai'
import {createCipheriv, randomBytes} from 'node:crypto'
import {decrypt} from 'megajs'

import {aesCtr, aesCtrInto, aesCtrSlices, createCtrCipher, ctrCounterBlock} from '../../src/crypto/ctr.js'
import {packFileKey} from '../../src/crypto/node-key.js'

/** CTR from its definition (mega-api.md §5.2): keystream block i = AES-ECB(key, nonce ‖ BE64(i)). */
function referenceCtr(key: Buffer, nonce: Buffer, offset: number, data: Buffer): Buffer {
  const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false)
  const out = Buffer.alloc(data.length)
  for (let pos = 0; pos < data.length; pos += 16) {
    const counter = Buffer.alloc(16)
    nonce.copy(counter, 0, 0, 8)
    counter.writeBigUInt64BE(BigInt((offset + pos) / 16), 8)
    const keystream = ecb.update(counter)
    for (let i = 0; i < 16 && pos + i < data.length; i++) out[pos + i] = data[pos + i] ^ keystream[i]
  }
  return out
}

describe('AES-CTR at any aligned offset (crypto/ctr)', () => {
  const key = randomBytes(16)
  const nonce = randomBytes(8)
  const plaintext = randomBytes(3 * 1048576 + 1234)
  const whole = aesCtr(key, nonce, 0, plaintext)

  it('builds the counter block nonce ‖ offset/16 as 64-bit big-endian', () => {
    const block = ctrCounterBlock(Buffer.from('0001020304050607', 'hex'), 0x0102030405 * 16)
    expect(block.toString('hex')).to.equal('0001020304050607' + '0000000102030405')
    expect(() => ctrCounterBlock(nonce, 8)).to.throw(RangeError)
  })

  it('encrypts the whole file like the definition', () => {
    expect(whole.equals(referenceCtr(key, nonce, 0, plaintext))).to.equal(true)
  })

  it('equals slicing the whole-file encryption at arbitrary aligned offsets', () => {
    for (const [offset, length] of [[16, 1], [16, 100], [131072, 131072], [131072 - 32, 77], [1048576 * 2 + 48, 1048576 + 1234 - 48], [3 * 1048576 + 1232, 2]]) {
      const part = aesCtr(key, nonce, offset, plaintext.subarray(offset, offset + length))
      expect(part.equals(whole.subarray(offset, offset + length)), `offset ${offset} length ${length}`).to.equal(true)
    }
  })

  it('decrypts (the same operation) back to the plaintext, also in place and in slices', () => {
    const offset = 1048576 + 16
    const part = Buffer.from(whole.subarray(offset))
    expect(aesCtr(key, nonce, offset, part).equals(plaintext.subarray(offset))).to.equal(true)
    expect(Buffer.concat(aesCtrSlices(key, nonce, offset, part)).equals(plaintext.subarray(offset))).to.equal(true)
    aesCtrInto(key, nonce, offset, part, part)
    expect(part.equals(plaintext.subarray(offset))).to.equal(true)
  })

  it('streams across odd-sized updates', () => {
    const cipher = createCtrCipher(key, nonce, 4096)
    const parts = [1, 15, 17, 4000, 65536, 3].map((n, i, all) => {
      const start = 4096 + all.slice(0, i).reduce((a, b) => a + b, 0)
      return cipher.update(plaintext.subarray(start, start + n))
    })
    const length = parts.reduce((sum, p) => sum + p.length, 0)
    expect(Buffer.concat(parts).equals(whole.subarray(4096, 4096 + length))).to.equal(true)
  })

  it('carries the counter past 32 bits (files beyond 64 GiB)', () => {
    const offset = (2 ** 32 - 1) * 16
    const data = randomBytes(48)
    expect(aesCtr(key, nonce, offset, data).equals(referenceCtr(key, nonce, offset, data))).to.equal(true)
  })

  it('matches megajs decrypt started mid-file', async () => {
    const offset = 131072 + 4096
    const fileKey = packFileKey({aesKey: key, nonce, mac: Buffer.alloc(8)})
    // megajs skips MAC verification when `start` is given.
    const stream = decrypt(fileKey, {start: offset}) as NodeJS.ReadWriteStream
    stream.end(Buffer.from(whole.subarray(offset, offset + 70000)))
    const out: Buffer[] = []
    for await (const chunk of stream) out.push(chunk as Buffer)
    expect(Buffer.concat(out).equals(plaintext.subarray(offset, offset + 70000))).to.equal(true)
  })
})
