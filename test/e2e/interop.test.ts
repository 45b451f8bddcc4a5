import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readdirSync, readFileSync, statSync, writeFileSync, openSync, writeSync, closeSync, readSync} from 'node:fs'
import {join} from 'node:path'
import {Storage, type MutableFile} from 'megajs'
import {addUser, localServerForSuite, startLocalServer, type TestServer} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'

const EMAIL = 'bob@example.com'
const PASSWORD = 'correct horse'

/** Every regular file below `dir`. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true}).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('interoperability: mega-shell and megajs on the same account', function () {
  let server: TestServer
  let user: MegaUser
  let storage: Storage

  before(async function () {
    server = await startLocalServer()
    await addUser(server, EMAIL, PASSWORD)
    user = new MegaUser(server.url)
    await user.login(EMAIL, PASSWORD)
    storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server.url, keepalive: false}).ready
  })

  after(async function () {
    storage?.api.close()
    await server?.stop()
  })

  // 1 B, 100 B, 131073 B and 5 MiB: sizes where megajs computes the MAC the way the SDK does, so it can
  // verify our uploads and we can verify its uploads.
  const sizes = [1, 100, 131073, 5 * 1024 * 1024]

  it('megajs downloads and verifies what mega put uploaded', async function () {
    const local = tempDir('mega-put-')
    const originals = new Map<string, Buffer>()
    for (const size of sizes) {
      const data = randomBytes(size)
      originals.set(`ours-${size}.bin`, data)
      writeFileSync(join(local, `ours-${size}.bin`), data)
    }
    expectOk(await user.run(['mkdir', '/ours']))
    expectOk(await user.run(['put', ...[...originals.keys()].map((n) => join(local, n)), '/ours']))
    await storage.reload(true)
    const folder = storage.root.children!.find((c) => c.name === 'ours')!
    for (const [name, data] of originals) {
      const file = folder.children!.find((c) => c.name === name)!
      expect(file, name).to.not.equal(undefined)
      const downloaded = await file.downloadBuffer({})
      expect(downloaded.equals(data), name).to.equal(true)
    }
  })

  it('mega get downloads and verifies what megajs uploaded (and sees it through the event channel)', async function () {
    const folder = await storage.mkdir('theirs')
    const originals = new Map<string, Buffer>()
    for (const size of sizes) {
      const data = randomBytes(size)
      originals.set(`theirs-${size}.bin`, data)
      // megajs encrypts the buffer it is given in place: hand it a copy.
      await folder.upload({name: `theirs-${size}.bin`, size}, Buffer.from(data)).complete
    }
    const restore = tempDir('mega-get-')
    expectOk(await user.run(['get', '/theirs', restore]))
    for (const [name, data] of originals) expect(readFileSync(join(restore, 'theirs', name)).equals(data), name).to.equal(true)
  })

  it('downloads a public file link without logging in', async function () {
    const data = randomBytes(200000)
    const file = await storage.upload({name: 'shared.bin', size: data.length}, Buffer.from(data)).complete as MutableFile
    const link = await file.link({})
    expect(link).to.match(/^https:\/\/mega\.nz\/file\//)
    const stranger = new MegaUser(server.url)
    const dest = tempDir('mega-link-')
    const out = expectOk(await stranger.run(['get', link, dest]))
    expect(out).to.equal(`Download finished: ${join(dest, 'shared.bin')}\n`)
    expect(readFileSync(join(dest, 'shared.bin')).equals(data)).to.equal(true)
  })

  it('refuses a download whose ciphertext was corrupted on the server, leaving no file', async function () {
    const data = randomBytes(300000)
    await storage.upload({name: 'victim.bin', size: data.length}, Buffer.from(data)).complete
    // Flip one byte of the stored ciphertext (the server keeps one blob per file, same size as the plaintext).
    const blobs = filesBelow(server.dataDir).filter((p) => statSync(p).size === data.length)
    expect(blobs).to.have.length(1)
    const fd = openSync(blobs[0], 'r+')
    const byte = Buffer.alloc(1)
    readSync(fd, byte, 0, 1, 150000)
    byte[0] ^= 0xff
    writeSync(fd, byte, 0, 1, 150000)
    closeSync(fd)
    const dest = tempDir('mega-corrupt-')
    const result = await user.run(['get', '/victim.bin', dest])
    expect(result.code).to.not.equal(0)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.match(/MAC|integrity|corrupt/i)
    expect(readdirSync(dest)).to.deep.equal([])
  })

  it('loses nothing when the server restarts between two commands', async function () {
    const local = tempDir('mega-restart-')
    const data = randomBytes(70000)
    writeFileSync(join(local, 'durable.bin'), data)
    expectOk(await user.run(['put', join(local, 'durable.bin'), '/']))
    await server.restart()
    expect(expectOk(await user.run(['ls', '/']))).to.include('durable.bin')
    const dest = tempDir('mega-restart-get-')
    expectOk(await user.run(['get', '/durable.bin', dest]))
    expect(readFileSync(join(dest, 'durable.bin')).equals(data)).to.equal(true)
  })

  it('logout --keep-session prints a session that login resumes; logout ends it', async function () {
    const out = expectOk(await user.run(['logout', '--keep-session']))
    const session = out.match(/login with the session id: ([\w-]+)/)![1]
    expect((await user.run(['whoami'])).code).to.equal(57)
    expectOk(await user.run(['login', session]))
    expect(expectOk(await user.run(['whoami']))).to.equal(`Account e-mail: ${EMAIL}\n`)
    expectOk(await user.run(['logout']))
    const again = await user.run(['login', session])
    expect(again.code).to.equal(15)
    // One session string in 64 starts with '-': it is still a session string, not flags (`-v` would be one).
    for (const dashed of ['-' + session.slice(1), '-v' + session.slice(2)]) {
      const result = await user.run(['login', dashed])
      expect(result.code, result.stderr).to.equal(15)
      expect(result.stderr).to.match(/^Login failed: the session is invalid or has expired\n$/)
    }
    await user.login(EMAIL, PASSWORD)
  })

  it('notices a session closed elsewhere, forgets it, and can log in again', async function () {
    const session = expectOk(await user.run(['session'])).match(/session is: ([\w-]+)/)![1]
    const other = new MegaUser(server.url)
    expectOk(await other.run(['login', session]))
    expectOk(await other.run(['logout']))
    const dead = await user.run(['ls', '/'])
    expect(dead.code).to.equal(57)
    expect(dead.stderr).to.match(/no longer valid/)
    expect((await user.run(['whoami'])).code).to.equal(57)
    await user.login(EMAIL, PASSWORD)
    expect(expectOk(await user.run(['ls', '/']))).to.include('ours')
  })
})

describe('downloads never overwrite local files', function () {
  const server = localServerForSuite([{email: 'hank@example.com', password: 'hank pw'}])

  it('skips identical files, keeps different ones and handles duplicate remote names', async function () {
    const user = new MegaUser(server().url)
    await user.login('hank@example.com', 'hank pw')
    const local = tempDir('mega-dup-')
    const a = randomBytes(1000)
    writeFileSync(join(local, 'a.txt'), a)
    expectOk(await user.run(['mkdir', '/docs']))
    expectOk(await user.run(['put', join(local, 'a.txt'), '/docs']))
    // A second, different file of the same name in the same remote folder (MEGA allows it; our `put` would make a
    // new version instead, megajs uploads a second file; it encrypts the buffer it is given in place).
    const b = randomBytes(1000)
    const storage = await new Storage({email: 'hank@example.com', password: 'hank pw', gateway: server().url, keepalive: false}).ready
    await storage.root.children!.find((n) => n.name === 'docs')!.upload({name: 'a.txt', size: b.length}, Buffer.from(b)).complete
    storage.api.close()
    const dest = tempDir('mega-dup-dest-')
    expectOk(await user.run(['get', '/docs', dest]))
    const got = [readFileSync(join(dest, 'docs', 'a.txt')), readFileSync(join(dest, 'docs', 'a (1).txt'))]
    expect(got.some((d) => d.equals(a)) && got.some((d) => d.equals(b))).to.equal(true)
    // Again: everything is already there, nothing new appears and nothing is overwritten.
    writeFileSync(join(dest, 'docs', 'mine.txt'), 'keep me')
    expectOk(await user.run(['get', '/docs', dest]))
    expect(readdirSync(join(dest, 'docs')).sort()).to.deep.equal(['a (1).txt', 'a.txt', 'mine.txt'])
    expect(readFileSync(join(dest, 'docs', 'mine.txt'), 'utf8')).to.equal('keep me')
  })
})
