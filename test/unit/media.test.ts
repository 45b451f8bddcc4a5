import {expect} from 'chai'
import {createDecipheriv, randomBytes} from 'node:crypto'
import {decryptAttribute, encryptAttribute} from '../../src/media/attribute-crypto.js'
import {FileAttributeType} from '../../src/media/attribute-types.js'
import {attributeHandle, faEntry} from '../../src/media/fa-string.js'
import {isImageFileName} from '../../src/media/image-files.js'
import {TaskLimiter} from '../../src/media/task-limiter.js'

describe('media: file attribute helpers', function () {
  it('finds an attribute in an fa string by type, with or without a cluster, as the SDK getfa does', function () {
    const fa = '924:0*AbCdEfGhIjK/925:1*LmNoPqRsTuV/8*zzzzzzzzzzz'
    expect(attributeHandle(fa, FileAttributeType.THUMBNAIL)).to.equal('AbCdEfGhIjK')
    expect(attributeHandle(fa, FileAttributeType.PREVIEW)).to.equal('LmNoPqRsTuV')
    expect(attributeHandle('1*LmNoPqRsTuV', FileAttributeType.PREVIEW)).to.equal('LmNoPqRsTuV')
    expect(attributeHandle('10:1*short', FileAttributeType.PREVIEW)).to.equal(undefined)
    expect(attributeHandle(null, FileAttributeType.THUMBNAIL)).to.equal(undefined)
    expect(faEntry(FileAttributeType.PREVIEW, 'LmNoPqRsTuV')).to.equal('1*LmNoPqRsTuV')
  })

  it('encrypts AES-CBC with a zero IV after zero padding to 16 bytes, and keeps the padding on decryption', function () {
    const key = randomBytes(16)
    const data = randomBytes(100)
    const sealed = encryptAttribute(key, data)
    expect(sealed).to.have.length(112)
    const plain = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16)).setAutoPadding(false)
    const opened = Buffer.concat([plain.update(sealed), plain.final()])
    expect(opened.equals(Buffer.concat([data, Buffer.alloc(12)]))).to.equal(true)
    expect(decryptAttribute(key, sealed).equals(opened)).to.equal(true)
  })

  it('takes images by their extension, as the SDK isgfx does', function () {
    for (const name of ['a.jpg', 'B.JPEG', 'c.png', 'd.gif', 'e.webp', 'f.tif', 'g.tiff', 'h.avif']) expect(isImageFileName(name), name).to.equal(true)
    for (const name of ['a.bin', 'jpg', 'notes.txt', 'movie.mp4', 'x.jpg.gz', 'phone.heic']) expect(isImageFileName(name), name).to.equal(false)
  })

  it('runs at most `limit` tasks at once, the others in order', async function () {
    const limiter = new TaskLimiter(2)
    let running = 0
    let peak = 0
    const order: number[] = []
    const releases: Array<() => void> = []
    const tasks = [0, 1, 2, 3, 4].map((i) => limiter.run(async () => {
      running++
      peak = Math.max(peak, running)
      order.push(i)
      await new Promise<void>((resolve) => releases.push(resolve))
      running--
      return i
    }))
    while (order.length < 5) {
      await new Promise((resolve) => setImmediate(resolve))
      releases.shift()?.()
    }
    releases.forEach((release) => release())
    expect(await Promise.all(tasks)).to.deep.equal([0, 1, 2, 3, 4])
    expect(order).to.deep.equal([0, 1, 2, 3, 4])
    expect(peak).to.equal(2)
  })
})
