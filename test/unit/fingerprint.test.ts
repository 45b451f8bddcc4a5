import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {crc32} from 'node:zlib'
import {b64decode} from '../../src/crypto/base64.js'
import {contentFingerprint, fileFingerprint} from '../../src/crypto/fingerprint.js'
import {mtimeFromFingerprint} from '../../src/tree/node-decoder.js'
import {tempDir} from '../helpers/cli.js'

/** Layout per meganz/sdk src/filefingerprint.cpp and serialize64.cpp. */
describe('file fingerprint (the `c` attribute)', function () {
  const dir = tempDir()
  const mtime = 1700000000 // 0x6553F100: Serialize64 = 4 bytes little-endian after a length byte

  async function fingerprintOf(data: Buffer): Promise<Buffer> {
    const path = join(dir, `f-${data.length}`)
    writeFileSync(path, data)
    return b64decode(await fileFingerprint(path, data.length, mtime))
  }

  it('is the same from content in memory as from the file, at every size class', async function () {
    for (const size of [0, 5, 16, 17, 1001, 8192, 8193, 300_000]) {
      const data = randomBytes(size)
      expect(b64decode(contentFingerprint(data, mtime)).toString('hex'), `${size} bytes`).to.equal((await fingerprintOf(data)).toString('hex'))
    }
  })

  it('stores a tiny file verbatim, NUL-padded, then the mtime', async function () {
    const fp = await fingerprintOf(Buffer.from('hello'))
    expect(fp.subarray(0, 16).toString('hex')).to.equal(Buffer.concat([Buffer.from('hello'), Buffer.alloc(11)]).toString('hex'))
    expect(fp.subarray(16).toString('hex')).to.equal('0400f15365')
  })

  it('takes four big-endian CRC32s of the quarters of a small file', async function () {
    const data = randomBytes(1001)
    const fp = await fingerprintOf(data)
    const bounds = [0, 250, 500, 750, 1001]
    for (let i = 0; i < 4; i++) expect(fp.readUInt32BE(i * 4), `crc ${i}`).to.equal(crc32(data.subarray(bounds[i], bounds[i + 1])))
  })

  it('samples 32 blocks of 64 bytes per CRC of a large file', async function () {
    const size = 100000
    const data = randomBytes(size)
    const fp = await fingerprintOf(data)
    for (let i = 0; i < 4; i++) {
      const blocks = []
      for (let j = 0; j < 32; j++) {
        const offset = Math.floor(((size - 64) * (i * 32 + j)) / 127)
        blocks.push(data.subarray(offset, offset + 64))
      }
      expect(fp.readUInt32BE(i * 4), `crc ${i}`).to.equal(crc32(Buffer.concat(blocks)))
    }
  })

  it('gives back its mtime', async function () {
    const path = join(dir, 'm')
    writeFileSync(path, randomBytes(20000))
    expect(mtimeFromFingerprint({c: await fileFingerprint(path, 20000, mtime)})).to.equal(mtime)
  })
})
