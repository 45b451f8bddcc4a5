import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, openSync, readdirSync, readSync, statSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {MEGA_BIN, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'reader@example.com'
const PASSWORD = 'reader pass'

/** Every regular file below `dir`. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true}).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/**
 * cat: the bytes of remote files (or public file links, without a login) on stdout, exactly, verified against
 * their MAC before anything is written. The files are uploaded with our client; the link is made by megajs.
 */
describe('cat', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  let storage: Storage
  // Every byte value, in a size that is not a multiple of the 16-byte block or of a chunk.
  const binary = Buffer.concat([Buffer.from(Array.from({length: 256}, (_, i) => i)), randomBytes(1_300_001)])
  const text = Buffer.from('line one\nline two\n')
  let link: string
  /** Where commands stage files while they are verified: it must be empty after each of them. */
  const tmp = tempDir('cat-tmp-')

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    const local = tempDir('cat-files-')
    writeFileSync(join(local, 'binary.bin'), binary)
    writeFileSync(join(local, 'notes.txt'), text)
    writeFileSync(join(local, 'empty.txt'), '')
    writeFileSync(join(local, 'corrupt.bin'), randomBytes(70_001))
    expectOk(await mega.run(['mkdir', '/dir']))
    expectOk(await mega.run(['put', ...['binary.bin', 'notes.txt', 'empty.txt', 'corrupt.bin'].map((n) => join(local, n)), '/']))
    storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    link = await storage.root.children!.find((c) => c.name === 'binary.bin')!.link(false)
  })

  after(function () {
    storage?.api.close()
  })

  const cat = (user: MegaUser, args: string[]) => user.runBinary(['cat', ...args], {env: {TMPDIR: tmp}})

  it('writes a file\'s exact bytes, and several files one after the other (an empty one adds nothing)', async function () {
    const one = await cat(mega, ['/binary.bin'])
    expect([one.code, one.stderr]).to.deep.equal([0, ''])
    expect(one.stdout.equals(binary)).to.equal(true)
    const several = await cat(mega, ['/notes.txt', '/empty.txt', '/binary.bin', 'notes.*'])
    expect(several.code).to.equal(0)
    expect(several.stdout.equals(Buffer.concat([text, binary, text]))).to.equal(true)
    expect(readdirSync(tmp)).to.deep.equal([])
  })

  it('reads a public file link megajs made, with no login at all', async function () {
    const stranger = new MegaUser(server().url)
    const result = await cat(stranger, [link])
    expect([result.code, result.stderr]).to.deep.equal([0, ''])
    expect(result.stdout.equals(binary)).to.equal(true)
    // Remote paths need a login; the links around them are still written.
    const mixed = await cat(stranger, ['/notes.txt', link])
    expect([mixed.code, mixed.stderr]).to.deep.equal([57, 'Unable to cat /notes.txt: Not logged in.\n'])
    expect(mixed.stdout.equals(binary)).to.equal(true)
  })

  it('refuses folders (51), missing paths (53), folder links (51) and wrong keys (51), and carries on with the rest', async function () {
    const result = await cat(mega, ['/dir', '/nothere', 'zz*', '/notes.txt'])
    expect(result.code).to.equal(53)
    expect(result.stdout.equals(text)).to.equal(true)
    expect(result.stderr).to.equal(' Unable to cat: not a file\nNode not found: /nothere\nNodes not found: zz*\n')
    const folderLink = await storage.root.children!.find((c) => c.name === 'dir')!.link(false)
    const stranger = new MegaUser(server().url)
    expect(await cat(stranger, [folderLink])).to.deep.include({code: 51, stderr: 'Public link is not a file\n'})
    const [base, key] = link.split('#')
    const wrongKey = `${base}#${(key[0] === 'A' ? 'B' : 'A')}${key.slice(1)}`
    const refused = await cat(stranger, [wrongKey])
    expect([refused.code, refused.stderr, refused.stdout.length]).to.deep.equal([51, `Key not valid ${wrongKey}\n`, 0])
    const gone = await cat(stranger, [`https://mega.nz/file/AAAAAAAA#${key}`])
    expect([gone.code, gone.stderr]).to.deep.equal([9, 'Failed to cat public node: Not found\n'])
  })

  it('writes nothing of a file whose data does not match its MAC (exit 14), and leaves no staged file', async function () {
    // One byte of the stored ciphertext changes: the file decrypts to the wrong bytes, which the MAC catches.
    const [blob] = filesBelow(server().dataDir).filter((path) => statSync(path).size === 70_001)
    const fd = openSync(blob, 'r+')
    const byte = Buffer.alloc(1)
    readSync(fd, byte, 0, 1, 40_000)
    writeSync(fd, Buffer.from([byte[0] ^ 0xff]), 0, 1, 40_000)
    closeSync(fd)
    const result = await cat(mega, ['/corrupt.bin', '/notes.txt'])
    expect(result.code).to.equal(14)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stdout.equals(text), 'only the sound file is written').to.equal(true)
    expect(readdirSync(tmp)).to.deep.equal([])
  })

  it('stops quietly when its reader goes away (mega cat f | head), leaving no staged file', async function () {
    const child = spawn(process.execPath, [MEGA_BIN, 'cat', '/binary.bin', '/binary.bin', '/binary.bin'], {env: mega.env({TMPDIR: tmp}), stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', resolve))
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(first.subarray(0, 256).equals(binary.subarray(0, 256))).to.equal(true)
    expect([code, stderr]).to.deep.equal([0, ''])
    expect(readdirSync(tmp)).to.deep.equal([])
  })
})
