import {expect} from 'chai'
import {readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import sharp from 'sharp'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'

/**
 * `thumbnail` and `preview` of MEGAcmd 2.5.2 and of mega-shell on one account: the same lines, exit codes and
 * error messages, and the same bytes both ways (MEGAcmd fetches what our `put` made; we fetch what MEGAcmd
 * set with -s through the official SDK's `ufa`/`pfa`). This MEGAcmd is built without FreeImage, so it makes
 * no thumbnails of its own uploads.
 *
 * Difference on purpose: a local path that is an existing folder without a trailing "/" (the default "."
 * included: MEGAcmd's client passes "<cwd>/.") makes us save `<handle><type>.jpg` inside it; the SDK only does
 * that for a path ending in "/" and otherwise tries to write the folder itself, which fails.
 */

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'

/** MEGAcmd's error messages: its stderr log lines `[<time> cmd ERR  <message>]`, without its usage lines. */
function megacmdErrors(stderr: string): string[] {
  const messages: string[] = []
  for (const line of stderr.split('\n')) {
    const match = /^\[\S+ cmd (?:ERR|CRIT) {2}(.*)\]$/.exec(line)
    if (match && !match[1].startsWith('      ')) messages.push(match[1])
  }
  return messages
}

function gradientJpeg(width: number, height: number, quality = 80): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = Math.floor(((i % width) * 255) / width)
    pixels[i * 3 + 1] = Math.floor((Math.floor(i / width) * 255) / height)
  }
  return sharp(pixels, {raw: {width, height, channels: 3}}).jpeg({quality}).toBuffer()
}

describe('MEGAcmd 2.5.2 and mega-shell: thumbnail and preview (test/megacmd)', function () {
  this.timeout(300000)
  let megacmd: MegaCmd | undefined
  after(async function () {
    await megacmd?.stop()
  })
  const server = localServerForSuite([{email: ALICE, password: PASSWORD}])
  let alice: MegaUser
  let local: string

  before(async function () {
    requireMegaCmd()
    alice = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    local = tempDir('megacmd-media-')
    writeFileSync(join(local, 'wide.jpg'), await gradientJpeg(2000, 1000))
    writeFileSync(join(local, 'plain.bin'), 'no image here')
    expectOk(await alice.run(['mkdir', '/pics']))
    expectOk(await alice.run(['put', join(local, 'wide.jpg'), join(local, 'plain.bin'), '/pics']))
    // MEGAcmd logs in once the files exist, so it reads them all from its first fetch.
    megacmd = new MegaCmd(server().url)
    await megacmd.run(['login', ALICE, PASSWORD])
    expect((await megacmd.run(['whoami'])).stdout, 'MEGAcmd could not log in').to.equal(`Account e-mail: ${ALICE}\n`)
  })

  /** Runs `args(dir)` with each client, each with its own fresh local folder; the outputs compared with the folder named DIR. */
  async function bothIn(args: (dir: string) => string[]): Promise<{theirs: CliResult; ours: CliResult; theirDir: string; ourDir: string}> {
    const theirDir = tempDir('megacmd-out-')
    const ourDir = tempDir('mega-out-')
    const theirs = await megacmd!.run(args(theirDir))
    const ours = await alice.run(args(ourDir))
    const label = `"${args('DIR').join(' ')}"\nMEGAcmd:\n${theirs.stdout}${theirs.stderr}\nours:\n${ours.stdout}${ours.stderr}`
    expect(ours.stdout.replaceAll(ourDir, 'DIR'), `stdout of ${label}`).to.equal(theirs.stdout.replaceAll(theirDir, 'DIR'))
    expect(ours.code, `exit code of ${label}`).to.equal(theirs.code)
    expect(ours.stderr.split('\n').filter(Boolean).map((l) => l.replaceAll(ourDir, 'DIR')), `errors of ${label}`)
      .to.deep.equal(megacmdErrors(theirs.stderr).map((l) => l.replaceAll(theirDir, 'DIR')))
    return {theirs, ours, theirDir, ourDir}
  }

  it('MEGAcmd fetches the thumbnail and preview our put made: the same line and the same bytes', async function () {
    for (const kind of ['thumbnail', 'preview']) {
      const {theirDir, ourDir} = await bothIn((dir) => [kind, '/pics/wide.jpg', join(dir, 'out.jpg')])
      const theirs = readFileSync(join(theirDir, 'out.jpg'))
      expect(theirs.equals(readFileSync(join(ourDir, 'out.jpg'))), kind).to.equal(true)
      expect((await sharp(theirs).metadata()).width, kind).to.equal(kind === 'thumbnail' ? 200 : 1000)
    }
  })

  it('a trailing "/": both save <handle><type>.jpg inside the folder', async function () {
    for (const kind of ['thumbnail', 'preview']) {
      const {theirDir, ourDir} = await bothIn((dir) => [kind, '/pics/wide.jpg', `${dir}/`])
      expect(readdirSync(ourDir)).to.deep.equal(readdirSync(theirDir))
    }
  })

  it('the same errors and codes: a folder, a file without attributes, a missing path, an unwritable path, -s of a missing file', async function () {
    for (const args of [
      (dir: string) => ['thumbnail', '/pics', join(dir, 't.jpg')],
      (dir: string) => ['preview', '/pics/plain.bin', join(dir, 'p.jpg')],
      (dir: string) => ['thumbnail', '/pics/none.jpg', join(dir, 't.jpg')],
      (dir: string) => ['preview', '/pics/wide.jpg', join(dir, 'no-such-dir', 'p.jpg')],
      (dir: string) => ['thumbnail', '-s', '/pics/wide.jpg', join(dir, 'missing.jpg')],
    ]) {
      const {theirDir, ourDir} = await bothIn(args)
      expect(readdirSync(ourDir), 'nothing left behind').to.deep.equal(readdirSync(theirDir))
    }
  })

  it('we fetch the thumbnail and preview MEGAcmd sets with -s (the SDK dialect of ufa and pfa)', async function () {
    const thumb = join(local, 'set-thumb.jpg')
    writeFileSync(thumb, await gradientJpeg(200, 200, 40))
    const preview = join(local, 'set-preview.jpg')
    writeFileSync(preview, await gradientJpeg(700, 400, 60))
    expect(expectOk(await megacmd!.run(['thumbnail', '-s', '/pics/plain.bin', thumb]))).to.equal(`Thumbnail for /pics/plain.bin loaded from ${thumb}\n`)
    expect(expectOk(await megacmd!.run(['preview', '-s', '/pics/plain.bin', preview]))).to.equal(`Preview for /pics/plain.bin loaded from ${preview}\n`)
    for (const [kind, original] of [['thumbnail', thumb], ['preview', preview]]) {
      const ours = join(tempDir('mega-out-'), 'x.jpg')
      expectOk(await alice.run([kind, '/pics/plain.bin', ours]))
      const theirs = join(tempDir('megacmd-out-'), 'x.jpg')
      expectOk(await megacmd!.run([kind, '/pics/plain.bin', theirs]))
      // The SDK hands over the attribute with its zero padding to 16 bytes, and so do we.
      const data = readFileSync(ours)
      expect(data.equals(readFileSync(theirs)), kind).to.equal(true)
      const image = readFileSync(original)
      expect(data.subarray(0, image.length).equals(image) && data.subarray(image.length).every((b) => b === 0), kind).to.equal(true)
    }
  })

  it('MEGAcmd reads the thumbnail we set with -s', async function () {
    const thumb = join(local, 'our-thumb.jpg')
    writeFileSync(thumb, await gradientJpeg(200, 200, 20))
    expectOk(await alice.run(['thumbnail', '-s', '/pics/wide.jpg', thumb]))
    // MEGAcmd hears of it through the `fa` action packet on its wsc channel.
    const theirs = join(tempDir('megacmd-out-'), 'x.jpg')
    let got: Buffer | undefined
    for (let attempt = 0; attempt < 50 && !got?.subarray(0, 100).equals(readFileSync(thumb).subarray(0, 100)); attempt++) {
      const result = await megacmd!.run(['thumbnail', '/pics/wide.jpg', theirs])
      got = result.code === 0 ? readFileSync(theirs) : undefined
    }
    const image = readFileSync(thumb)
    expect(got!.subarray(0, image.length).equals(image)).to.equal(true)
  })

  it('without a local path MEGAcmd fails to write "<cwd>/." (Write error, 20); we save <handle>0.jpg in the cwd (on purpose)', async function () {
    const theirDir = tempDir('megacmd-out-')
    const theirs = await megacmd!.run(['thumbnail', '/pics/wide.jpg'], {cwd: theirDir})
    expect([theirs.code, theirs.stdout, megacmdErrors(theirs.stderr)]).to.deep.equal([20, '', [`Failed to get thumbnail /pics/wide.jpg to ${theirDir}/.: Write error`]])
    expect(readdirSync(theirDir)).to.deep.equal([])
    const ourDir = tempDir('mega-out-')
    const ours = expectOk(await alice.run(['thumbnail', '/pics/wide.jpg'], {cwd: ourDir}))
    const [name] = readdirSync(ourDir)
    expect(name).to.match(/^[\w-]{8}0\.jpg$/)
    expect(ours).to.equal(`Thumbnail for /pics/wide.jpg saved in ${join(ourDir, name)}\n`)
  })
})
