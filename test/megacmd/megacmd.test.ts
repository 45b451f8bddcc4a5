import {expect} from 'chai'
import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MegaUser, tempDir, type CliResult} from '../helpers/cli.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'

const EMAIL = 'alice@example.com'
const PASSWORD = 'alice pass w0rd'
/** How long MEGAcmd may take to see a change another client made (it arrives on its `sc` long poll). */
const PROPAGATION_DEADLINE_MS = 30_000

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** A command that must succeed: its output, or an assertion error carrying everything it printed. */
function ok(result: CliResult, what: string): string {
  expect(result.code, `${what} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).to.equal(0)
  return result.stdout
}

/**
 * The original MEGAcmd 2.5.2 (MEGA's C++ client on the official SDK v10.8.2, ../shared/tools/megacmd) against a
 * real local-server process, unchanged: it speaks the SDK dialect (cs `v=3`, sequence tags, the wsc long poll,
 * sdk-dialect.md) and must get through a whole session. mega-shell's own binary works on the same account, so
 * what one client writes the other reads, byte for byte.
 */
describe('MEGAcmd 2.5.2 against the local server', function () {
  this.timeout(180_000)
  before(requireMegaCmd)
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let megacmd: MegaCmd
  let mega: MegaUser
  const local = tempDir('megacmd-files-')
  const files = {
    small: join(local, 'small.txt'),
    big: join(local, 'big.bin'),
    empty: join(local, 'empty.bin'),
    tree: join(local, 'tree'),
  }

  before(() => {
    megacmd = new MegaCmd(server().url)
    mega = new MegaUser(server().url)
    writeFileSync(files.small, 'hello from MEGAcmd\n')
    writeFileSync(files.big, randomBytes(5 * 1024 * 1024))
    writeFileSync(files.empty, '')
    mkdirSync(join(files.tree, 'inner'), {recursive: true})
    writeFileSync(join(files.tree, 'top.txt'), 'top\n')
    writeFileSync(join(files.tree, 'inner', 'deep.bin'), randomBytes(200_000))
  })

  after(async () => {
    await megacmd?.stop()
    const left = megacmd?.serverPids() ?? []
    for (const pid of left) process.kill(pid, 'SIGKILL')
    expect(left, 'mega-cmd-server processes left running after --stop').to.deep.equal([])
  })

  /** Runs `megacmd ls <path>` until its listing satisfies `done`: changes by other clients arrive asynchronously. */
  async function waitForListing(path: string, done: (listing: string) => boolean): Promise<string> {
    const deadline = Date.now() + PROPAGATION_DEADLINE_MS
    for (;;) {
      const result = await megacmd.run(['ls', path])
      if (result.code === 0 && done(result.stdout)) return result.stdout
      if (Date.now() > deadline) throw new Error(`MEGAcmd never listed the expected ${path}: ${result.stdout}${result.stderr}`)
    }
  }

  it('logs in with email and password', async () => {
    ok(await megacmd.run(['login', EMAIL, PASSWORD]), 'login')
    expect(ok(await megacmd.run(['whoami']), 'whoami')).to.include(EMAIL)
  })

  it('creates nested folders with mkdir -p', async () => {
    ok(await megacmd.run(['mkdir', '-p', '/harness/deep/er']), 'mkdir -p')
    expect(ok(await megacmd.run(['ls', '/harness/deep']), 'ls')).to.include('er')
    ok(await mega.run(['login', EMAIL, PASSWORD]), 'mega login')
    expect(ok(await mega.run(['ls', '/harness/deep']), 'mega ls')).to.include('er')
  })

  it('uploads a small file, a 5 MiB file, an empty file and a folder', async () => {
    for (const path of [files.small, files.big, files.empty, files.tree]) {
      expect(ok(await megacmd.run(['put', path, '/harness/']), `put ${path}`)).to.include('Upload finished')
    }
    const listing = ok(await megacmd.run(['ls', '-l', '/harness']), 'ls -l')
    expect(listing).to.match(/\s5242880 .* big\.bin/)
    expect(listing).to.match(/\s0 .* empty\.bin/)
    expect(listing).to.match(/\s19 .* small\.txt/)
  })

  it('downloads its uploads byte for byte', async () => {
    const out = tempDir('megacmd-get-')
    ok(await megacmd.run(['get', '/harness/big.bin', out]), 'get big.bin')
    ok(await megacmd.run(['get', '/harness/empty.bin', out]), 'get empty.bin')
    ok(await megacmd.run(['get', '/harness/tree', out]), 'get tree')
    expect(sha256(join(out, 'big.bin'))).to.equal(sha256(files.big))
    expect(readFileSync(join(out, 'empty.bin'))).to.have.length(0)
    expect(sha256(join(out, 'tree', 'inner', 'deep.bin'))).to.equal(sha256(join(files.tree, 'inner', 'deep.bin')))
  })

  it('lists the tree with find and counts it with du', async () => {
    const found = ok(await megacmd.run(['find', '/harness']), 'find').trim().split('\n').sort()
    expect(found).to.deep.equal([
      '/harness', '/harness/big.bin', '/harness/deep', '/harness/deep/er', '/harness/empty.bin', '/harness/small.txt',
      '/harness/tree', '/harness/tree/inner', '/harness/tree/inner/deep.bin', '/harness/tree/top.txt',
    ])
    const du = ok(await megacmd.run(['du', '/harness']), 'du')
    expect(du).to.match(new RegExp(`/harness:\\s+${5 * 1024 * 1024 + 19 + 4 + 200_000}\\b`))
  })

  it('exports a file link that mega-shell downloads', async () => {
    const exported = ok(await megacmd.run(['export', '-a', '-f', '/harness/big.bin']), 'export -a -f')
    const link = /https:\/\/mega\.nz\/file\/\S+/.exec(exported)?.[0]
    expect(link, exported).to.be.a('string')
    const out = tempDir('mega-link-')
    ok(await mega.run(['get', link!, out]), 'mega get <link>')
    expect(sha256(join(out, 'big.bin'))).to.equal(sha256(files.big))
  })

  it('exports a folder link that mega-shell logs into and downloads', async () => {
    const exported = ok(await megacmd.run(['export', '-a', '-f', '/harness/tree']), 'export -a -f folder')
    const link = /https:\/\/mega\.nz\/folder\/\S+/.exec(exported)?.[0]
    expect(link, exported).to.be.a('string')
    const visitor = new MegaUser(server().url)
    ok(await visitor.run(['login', link!]), 'mega login <folder link>')
    const out = tempDir('mega-folder-link-')
    ok(await visitor.run(['get', '/', out]), 'mega get from the folder link')
    expect(sha256(join(out, 'tree', 'inner', 'deep.bin'))).to.equal(sha256(join(files.tree, 'inner', 'deep.bin')))
  })

  it('shows the account details with whoami -l', async () => {
    const details = ok(await megacmd.run(['whoami', '-l']), 'whoami -l')
    expect(details).to.include(`Account e-mail: ${EMAIL}`)
    expect(details).to.match(/Available storage:\s+20\.00 GBytes/)
    // The session list comes last in its batch (utt, utp, usl): it shows only if everything before it parsed.
    expect(details).to.include('* Current Session')
    expect(details).to.match(/\b[1-9]\d* active sessions opened/)
  })

  it('copies, moves and removes', async () => {
    ok(await megacmd.run(['cp', '/harness/small.txt', '/harness/deep/copy.txt']), 'cp file')
    ok(await megacmd.run(['cp', '/harness/tree', '/harness/deep/tree-copy']), 'cp folder')
    ok(await megacmd.run(['mv', '/harness/empty.bin', '/harness/deep/er/']), 'mv file')
    ok(await megacmd.run(['mv', '/harness/tree', '/harness/deep/er/']), 'mv folder')
    ok(await megacmd.run(['rm', '/harness/small.txt']), 'rm')
    ok(await megacmd.run(['rm', '-rf', '/harness/deep/tree-copy']), 'rm -rf')
    const found = ok(await megacmd.run(['find', '/harness']), 'find').trim().split('\n').sort()
    expect(found).to.deep.equal([
      '/harness', '/harness/big.bin', '/harness/deep', '/harness/deep/copy.txt', '/harness/deep/er', '/harness/deep/er/empty.bin',
      '/harness/deep/er/tree', '/harness/deep/er/tree/inner', '/harness/deep/er/tree/inner/deep.bin', '/harness/deep/er/tree/top.txt',
    ])
    // mega-shell sees the same tree, and the copy has the original's bytes.
    const out = tempDir('mega-copy-')
    ok(await mega.run(['get', '/harness/deep/copy.txt', out]), 'mega get copy')
    expect(sha256(join(out, 'copy.txt'))).to.equal(sha256(files.small))
    expect(ok(await mega.run(['ls', '/harness/deep/er/tree/inner']), 'mega ls moved')).to.include('deep.bin')
    expect(ok(await mega.run(['ls', '/harness']), 'mega ls')).to.not.include('small.txt')
  })

  it('resumes its saved session when its server restarts', async () => {
    await megacmd.stop()
    expect(megacmd.serverPids(), 'mega-cmd-server still running after --stop').to.deep.equal([])
    // No password: the next command starts a new mega-cmd-server, which logs in with the saved session.
    expect(ok(await megacmd.run(['whoami']), 'whoami after restart')).to.include(EMAIL)
    expect(ok(await megacmd.run(['ls', '/harness']), 'ls after restart')).to.include('big.bin')
  })

  it('reads what mega-shell writes, and mega-shell reads what it writes', async () => {
    const fromShell = join(tempDir('mega-put-'), 'from-shell.bin')
    writeFileSync(fromShell, randomBytes(300_000))
    ok(await mega.run(['put', fromShell, '/harness/']), 'mega put')
    // MEGAcmd learns of the new file from its sc long poll.
    await waitForListing('/harness', (listing) => listing.includes('from-shell.bin'))
    const out = tempDir('megacmd-cross-')
    ok(await megacmd.run(['get', '/harness/from-shell.bin', out]), 'megacmd get')
    expect(sha256(join(out, 'from-shell.bin'))).to.equal(sha256(fromShell))

    const fromMegaCmd = join(tempDir('megacmd-put-'), 'from-megacmd.bin')
    writeFileSync(fromMegaCmd, randomBytes(700_000))
    ok(await megacmd.run(['put', fromMegaCmd, '/harness/deep/']), 'megacmd put')
    const back = tempDir('mega-cross-')
    ok(await mega.run(['get', '/harness/deep/from-megacmd.bin', back]), 'mega get')
    expect(sha256(join(back, 'from-megacmd.bin'))).to.equal(sha256(fromMegaCmd))
  })

  it('keeps the previous contents of a replaced file as a version, and deletes versions', async () => {
    const dir = tempDir('megacmd-versions-')
    const path = join(dir, 'notes.txt')
    for (const text of ['first\n', 'second\n', 'third!\n']) {
      writeFileSync(path, text)
      ok(await megacmd.run(['put', path, '/harness/']), `put ${text.trim()}`)
    }
    // The versions arrive with the upload's packets, not only at a reload (`ls -l` prints FLAGS VERS SIZE …).
    expect(ok(await megacmd.run(['ls', '-l', '/harness/notes.txt']), 'ls -l')).to.match(/\s3\s+7 .* notes\.txt/)
    ok(await megacmd.run(['deleteversions', '-f', '/harness/notes.txt']), 'deleteversions')
    expect(ok(await megacmd.run(['ls', '-l', '/harness/notes.txt']), 'ls -l')).to.match(/\s1\s+7 .* notes\.txt/)
    const out = tempDir('mega-versions-')
    ok(await mega.run(['get', '/harness/notes.txt', out]), 'mega get')
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).to.equal('third!\n')
  })

  it('logs out', async () => {
    ok(await megacmd.run(['logout']), 'logout')
    const after = await megacmd.run(['ls', '/'])
    expect(after.code, after.stdout).to.not.equal(0)
    expect(after.stderr).to.include('Not logged in')
  })
})
