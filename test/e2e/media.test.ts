import {expect} from 'chai'
import {createDecipheriv, randomBytes} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage, type MutableFile} from 'megajs'
import sharp from 'sharp'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'

const EMAIL = 'iris@example.com'
const PASSWORD = 'pixels and more pixels'

/** Run options under test/helpers/sharp-watch.mjs: `sharp` hidden, or each load of it logged to a file. */
function sharpWatch(mode: string): {env: Record<string, string>} {
  return {env: {NODE_OPTIONS: `--import ${join(import.meta.dirname, '..', 'helpers', 'sharp-watch.mjs')}`, MEGA_TEST_SHARP: mode}}
}

/** A width×height RGB gradient, real pixels: red grows to the right, green downwards. */
function gradient(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3
      pixels[at] = Math.floor((x * 255) / width)
      pixels[at + 1] = Math.floor((y * 255) / height)
      pixels[at + 2] = 128
    }
  }
  return pixels
}

function image(width: number, height: number): ReturnType<typeof sharp> {
  return sharp(gradient(width, height), {raw: {width, height, channels: 3}})
}

async function dimensions(data: Buffer): Promise<{format?: string; width?: number; height?: number}> {
  const {format, width, height} = await sharp(data).metadata()
  return {format, width, height}
}

/** A JPEG attribute as the SDK delivers it: the image, then zeros up to a multiple of 16 bytes. */
function withoutPadding(data: Buffer): Buffer {
  let end = data.length
  while (end > 0 && data[end - 1] === 0) end--
  return data.subarray(0, end)
}

describe('thumbnails and previews', function () {
  this.timeout(120000)
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let user: MegaUser
  let storage: Storage
  let local: string

  before(async function () {
    user = new MegaUser(server().url)
    await user.login(EMAIL, PASSWORD)
    storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    local = tempDir('mega-media-')
    expectOk(await user.run(['mkdir', '/pics']))
  })

  after(function () {
    storage?.api.close()
  })

  /** megajs as the second client: its own login, node keys and API requests fetch the attribute (mega-api.md §4.8). */
  async function megajsAttribute(name: string, type: 0 | 1): Promise<Buffer> {
    const find = () => storage.root.children?.find((c) => c.name === 'pics')?.children?.find((c) => c.name === name)
    // megajs (keepalive off) sees new files after a reload; the fa itself is read fresh from `f` below.
    if (!find()) await storage.reload(true)
    const file = find()!
    const {f} = await storage.api.request({a: 'f', c: 1} as unknown as JSON) as unknown as {f: Array<{h: string; fa?: string}>}
    const fa = f.find((n) => n.h === file.nodeId)!.fa ?? ''
    const handle = new RegExp(`(?:^|/)(?:\\d+:)?${type}\\*([A-Za-z0-9_-]{11})`).exec(fa)?.[1]
    expect(handle, `fa of ${name}: ${fa}`).to.be.a('string')
    const {p} = await storage.api.request({a: 'ufa', fah: handle, ssl: 0, r: 1} as unknown as JSON) as unknown as {p: string}
    const reply = Buffer.from(await (await fetch(p, {method: 'POST', body: Buffer.from(handle!, 'base64url')})).arrayBuffer())
    expect(reply.subarray(0, 8).equals(Buffer.from(handle!, 'base64url'))).to.equal(true)
    const length = reply.readUInt32LE(8)
    const key = file.key!
    const aesKey = Buffer.alloc(16)
    for (let i = 0; i < 16; i++) aesKey[i] = key[i] ^ key[i + 16]
    const decipher = createDecipheriv('aes-128-cbc', aesKey, Buffer.alloc(16)).setAutoPadding(false)
    return Buffer.concat([decipher.update(reply.subarray(12, 12 + length)), decipher.final()])
  }

  async function getAttribute(kind: 'thumbnail' | 'preview', remote: string): Promise<Buffer> {
    const dest = join(tempDir('mega-attr-'), `${kind}.jpg`)
    const out = expectOk(await user.run([kind, remote, dest]))
    expect(out).to.equal(`${kind === 'thumbnail' ? 'Thumbnail' : 'Preview'} for ${remote} saved in ${dest}\n`)
    return readFileSync(dest)
  }

  it('put of a JPEG, a PNG, a WebP and a GIF attaches a 200×200 thumbnail and a preview fitting 1000×1000, which megajs reads too', async function () {
    await image(2000, 1000).jpeg().toFile(join(local, 'wide.jpg'))
    await image(800, 1600).png().toFile(join(local, 'tall.png'))
    await image(1200, 1200).webp().toFile(join(local, 'square.webp'))
    await image(640, 480).gif().toFile(join(local, 'anim.gif'))
    const names = ['wide.jpg', 'tall.png', 'square.webp', 'anim.gif']
    const put = await user.run(['put', '-v', ...names.map((name) => join(local, name)), '/pics'])
    expectOk(put)
    expect(put.stderr).to.match(/wide\.jpg: thumbnail \(\d+ bytes\) and preview \(\d+ bytes\) stored/)
    const previews = {'wide.jpg': {width: 1000, height: 500}, 'tall.png': {width: 500, height: 1000}, 'square.webp': {width: 1000, height: 1000}, 'anim.gif': {width: 640, height: 480}}
    for (const [name, preview] of Object.entries(previews)) {
      const thumbnail = await getAttribute('thumbnail', `/pics/${name}`)
      expect(await dimensions(thumbnail), name).to.deep.equal({format: 'jpeg', width: 200, height: 200})
      const big = await getAttribute('preview', `/pics/${name}`)
      expect(await dimensions(big), name).to.deep.equal({format: 'jpeg', ...preview})
      expect((await megajsAttribute(name, 0)).equals(thumbnail), `megajs thumbnail of ${name}`).to.equal(true)
      expect((await megajsAttribute(name, 1)).equals(big), `megajs preview of ${name}`).to.equal(true)
    }
  })

  it('respects the EXIF orientation of a JPEG, as the SDK does (JPEG_EXIFROTATE)', async function () {
    // Stored 1200×600, left half black and right half white; orientation 6 shows it turned 90° clockwise:
    // 600 wide, 1200 high, black on top.
    const width = 1200
    const height = 600
    const pixels = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) pixels.fill(255, (y * width + width / 2) * 3, (y * width + width) * 3)
    await sharp(pixels, {raw: {width, height, channels: 3}}).withMetadata({orientation: 6}).jpeg().toFile(join(local, 'rotated.jpg'))
    expect((await sharp(join(local, 'rotated.jpg')).metadata()).orientation).to.equal(6)
    expectOk(await user.run(['put', join(local, 'rotated.jpg'), '/pics']))
    const preview = await getAttribute('preview', '/pics/rotated.jpg')
    expect(await dimensions(preview)).to.deep.equal({format: 'jpeg', width: 500, height: 1000})
    const {data} = await sharp(preview).greyscale().raw().toBuffer({resolveWithObject: true})
    expect(data[250 + 100 * 500], 'top is black').to.be.below(40)
    expect(data[250 + 900 * 500], 'bottom is white').to.be.above(215)
  })

  it('never enlarges a small image: the preview of a 300×200 image is 300×200', async function () {
    await image(300, 200).jpeg().toFile(join(local, 'small.jpg'))
    expectOk(await user.run(['put', join(local, 'small.jpg'), '/pics']))
    expect(await dimensions(await getAttribute('preview', '/pics/small.jpg'))).to.deep.equal({format: 'jpeg', width: 300, height: 200})
    expect(await dimensions(await getAttribute('thumbnail', '/pics/small.jpg'))).to.deep.equal({format: 'jpeg', width: 200, height: 200})
  })

  it('a file that is not an image gets no attributes and no image work: the image library is not even loaded', async function () {
    writeFileSync(join(local, 'data.bin'), randomBytes(100000))
    const loads = join(tempDir('mega-loads-'), 'sharp.log')
    expectOk(await user.run(['ls', '/pics'], sharpWatch(`log:${loads}`)))
    const put = await user.run(['put', '-v', join(local, 'data.bin'), '/pics'], sharpWatch(`log:${loads}`))
    expectOk(put)
    expect(put.stderr).to.not.match(/thumbnail|preview/)
    expect(existsSync(loads), 'sharp loaded by ls or by the put of a non-image').to.equal(false)
    // The same watch sees the load an image causes.
    await image(300, 300).png().toFile(join(local, 'seen.png'))
    expectOk(await user.run(['put', join(local, 'seen.png'), '/pics'], sharpWatch(`log:${loads}`)))
    expect(readFileSync(loads, 'utf8')).to.equal('sharp\n')
    const dest = tempDir('mega-attr-')
    expectFailure(await user.run(['thumbnail', '/pics/data.bin', dest]), 9, new RegExp(`^Failed to get thumbnail /pics/data.bin to ${dest}: Not found$`))
    expect(readdirSync(dest)).to.deep.equal([])
  })

  it('a corrupt .jpg uploads without attributes and with one warning', async function () {
    writeFileSync(join(local, 'broken.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]))
    const put = await user.run(['put', join(local, 'broken.jpg'), '/pics'])
    expect(put.code, put.stderr).to.equal(0)
    expect(put.stdout).to.equal('Upload finished: /pics/broken.jpg\n')
    const warnings = put.stderr.trim().split('\n')
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/broken\.jpg: uploaded without thumbnail and preview: /)
    expectFailure(await user.run(['preview', '/pics/broken.jpg', tempDir()]), 9, /: Not found$/)
    const copy = join(tempDir('mega-get-'), 'broken.jpg')
    expectOk(await user.run(['get', '/pics/broken.jpg', copy]))
    expect(readFileSync(copy).equals(readFileSync(join(local, 'broken.jpg')))).to.equal(true)
  })

  it('thumbnail and preview save into a folder under the SDK name <handle><type>.jpg', async function () {
    const dest = tempDir('mega-attr-')
    const thumb = expectOk(await user.run(['thumbnail', '/pics/wide.jpg'], {cwd: dest}))
    const [name] = readdirSync(dest)
    expect(name).to.match(/^[A-Za-z0-9_-]{8}0\.jpg$/)
    expect(thumb).to.equal(`Thumbnail for /pics/wide.jpg saved in ${join(dest, name)}\n`)
    expectOk(await user.run(['preview', '/pics/wide.jpg', `${dest}/`]))
    expect(readdirSync(dest).sort()).to.deep.equal([name, `${name.slice(0, 8)}1.jpg`].sort())
  })

  it('-s sets a thumbnail and a preview from local images; megajs and mega read them back', async function () {
    const ownThumb = join(local, 'own-thumb.jpg')
    await image(200, 200).jpeg({quality: 50}).toFile(ownThumb)
    const ownPreview = join(local, 'own-preview.png')
    await image(640, 480).png().toFile(ownPreview)
    expect(expectOk(await user.run(['thumbnail', '-s', '/pics/data.bin', ownThumb]))).to.equal(`Thumbnail for /pics/data.bin loaded from ${ownThumb}\n`)
    expect(expectOk(await user.run(['preview', '-s', '/pics/data.bin', ownPreview]))).to.equal(`Preview for /pics/data.bin loaded from ${ownPreview}\n`)
    // A JPEG is attached byte for byte; a PNG becomes a JPEG.
    const thumbnail = await getAttribute('thumbnail', '/pics/data.bin')
    expect(withoutPadding(thumbnail).equals(withoutPadding(readFileSync(ownThumb)))).to.equal(true)
    expect(thumbnail.length % 16).to.equal(0)
    expect(await dimensions(await getAttribute('preview', '/pics/data.bin'))).to.deep.equal({format: 'jpeg', width: 640, height: 480})
    expect((await megajsAttribute('data.bin', 0)).equals(thumbnail)).to.equal(true)
  })

  it('reads the thumbnail and preview megajs uploads, and one it attaches later (pfa)', async function () {
    const thumbnailImage = await image(120, 120).jpeg().toBuffer()
    const previewImage = await image(900, 600).jpeg().toBuffer()
    await storage.reload(true)
    const pics = storage.root.children!.find((c) => c.name === 'pics')!
    const data = randomBytes(50000)
    // megajs encrypts the buffers it is given in place: hand it copies.
    const file = await pics.upload({name: 'theirs.bin', size: data.length, thumbnailImage: Buffer.from(thumbnailImage), previewImage: Buffer.from(previewImage)}, Buffer.from(data)).complete as MutableFile
    expect(withoutPadding(await getAttribute('thumbnail', '/pics/theirs.bin')).equals(thumbnailImage)).to.equal(true)
    expect(withoutPadding(await getAttribute('preview', '/pics/theirs.bin')).equals(previewImage)).to.equal(true)
    const later = await image(150, 150).jpeg({quality: 30}).toBuffer()
    await file.uploadAttribute('thumbnail', Buffer.from(later))
    // Our cache hears of it through the `fa` action packet.
    expect(withoutPadding(await getAttribute('thumbnail', '/pics/theirs.bin')).equals(later)).to.equal(true)
  })

  describe('refusals', function () {
    it('a folder has no thumbnail: MEGAcmd reports the SDK error Not found (9)', async function () {
      const dest = tempDir('mega-attr-')
      expectFailure(await user.run(['thumbnail', '/pics', dest]), 9, new RegExp(`^Failed to get thumbnail /pics to ${dest}: Not found$`))
      expectFailure(await user.run(['preview', '-s', '/pics', join(local, 'own-thumb.jpg')]), 2, /^Failed to set preview \/pics to .*: Invalid argument$/)
      expect(readdirSync(dest)).to.deep.equal([])
    })

    it('a missing remote path: "<path>: No such file or directory" (53)', async function () {
      expectFailure(await user.run(['thumbnail', '/pics/none.jpg', tempDir()]), 53, /^\/pics\/none\.jpg: No such file or directory$/)
      expectFailure(await user.run(['preview', '-s', '/nowhere', join(local, 'own-thumb.jpg')]), 53, /^\/nowhere: No such file or directory$/)
    })

    it('-s with a missing local file or one that is no image: Read error (21), the node unchanged', async function () {
      const before = await getAttribute('thumbnail', '/pics/wide.jpg')
      expectFailure(await user.run(['thumbnail', '-s', '/pics/wide.jpg', join(local, 'missing.jpg')]), 21, /^Failed to set thumbnail \/pics\/wide\.jpg to .*missing\.jpg: Read error$/)
      expectFailure(await user.run(['thumbnail', '-s', '/pics/wide.jpg', join(local, 'broken.jpg')]), 21, /: Read error$/)
      expect((await getAttribute('thumbnail', '/pics/wide.jpg')).equals(before)).to.equal(true)
    })

    it('an unwritable local path: Write error (20), nothing left behind', async function () {
      // Paths no process can write, root included: under a regular file, and in a folder that does not exist.
      const dir = tempDir('mega-unwritable-')
      writeFileSync(join(dir, 'plain'), 'a file, not a folder')
      expectFailure(await user.run(['preview', '/pics/wide.jpg', join(dir, 'plain', 'p.jpg')]), 20, /^Failed to get preview \/pics\/wide\.jpg to .*plain\/p\.jpg: Write error$/)
      expectFailure(await user.run(['thumbnail', '/pics/wide.jpg', join(dir, 'no-such-dir', 't.jpg')]), 20, /: Write error$/)
      expect(readdirSync(dir)).to.deep.equal(['plain'])
    })

    it('no remote path: the usage line (51)', async function () {
      expectFailure(await user.run(['thumbnail']), 51, /thumbnail \[-s\] remotepath localpath/)
    })
  })
})

describe('thumbnails without the image library (sharp cannot load)', function () {
  this.timeout(120000)
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const withoutSharp = sharpWatch('hide')

  it('put of an image still succeeds, without attributes and with a -v note only; -s fails with one line', async function () {
    const user = new MegaUser(server().url)
    await user.login(EMAIL, PASSWORD)
    const local = tempDir('mega-media-')
    await image(400, 300).jpeg().toFile(join(local, 'photo.jpg'))
    const quiet = await user.run(['put', join(local, 'photo.jpg'), '/'], withoutSharp)
    expect([quiet.code, quiet.stdout, quiet.stderr]).to.deep.equal([0, 'Upload finished: /photo.jpg\n', ''])
    const verbose = await user.run(['put', '-v', join(local, 'photo.jpg'), '/again.jpg'], withoutSharp)
    expectOk(verbose)
    expect(verbose.stderr).to.match(/photo\.jpg: uploaded without thumbnail and preview: the image library \(sharp\) cannot be loaded: Cannot find package 'sharp'/)
    expectFailure(await user.run(['thumbnail', '/photo.jpg', tempDir()]), 9, /: Not found$/)
    const set = await user.run(['thumbnail', '-s', '/photo.jpg', join(local, 'photo.jpg')], withoutSharp)
    expectFailure(set, 59, /^Failed to set thumbnail \/photo\.jpg to .*photo\.jpg: the image library \(sharp\) cannot be loaded: /)
    // The same commands with the library: it was the only thing missing.
    expectOk(await user.run(['thumbnail', '-s', '/photo.jpg', join(local, 'photo.jpg')]))
  })
})

/**
 * The attributes go in the node's `p` when they are ready before the data, and are attached with `pfa` when
 * they come later (as the SDK does): the server's fault plan slows one side down to make each case certain.
 */
for (const {fault, path, absent} of [
  {fault: 'ulslow:1500', path: /thumbnail and preview go in the node's p/, absent: /\(pfa\)/},
  {fault: 'faslow:1500', path: /thumbnail and preview attached to the node \(pfa\)/, absent: /node's p/},
]) {
  describe(`thumbnails of an upload with the server's ${fault}`, function () {
    this.timeout(120000)
    const server = localServerForSuite([{email: EMAIL, password: PASSWORD}], {faults: fault})

    it(`${fault.startsWith('ul') ? 'ready before the data: in the p that creates the node' : 'later than the data: attached with pfa'}`, async function () {
      const user = new MegaUser(server().url)
      await user.login(EMAIL, PASSWORD)
      const local = tempDir('mega-media-')
      await image(1600, 1200).jpeg().toFile(join(local, 'photo.jpg'))
      const put = await user.run(['put', '-v', join(local, 'photo.jpg'), '/'])
      expectOk(put)
      expect(put.stderr).to.match(path)
      expect(put.stderr).to.not.match(absent)
      const dest = join(tempDir('mega-attr-'), 't.jpg')
      expectOk(await user.run(['thumbnail', '/photo.jpg', dest]))
      expect(await dimensions(readFileSync(dest))).to.deep.equal({format: 'jpeg', width: 200, height: 200})
    })
  })
}
