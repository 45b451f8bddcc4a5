import {expect} from 'chai'
import {utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {MEGA_BIN, MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {runInPty} from '../helpers/pty.js'

const EMAIL = 'unversion@example.com'
const PASSWORD = 'unversion pass'
const T0 = 1_700_000_000

/**
 * Removing versions: `rm name#<mtime>` deletes one version (`d` with `v:1`, the SDK's removeVersion) and the
 * server relinks the chain; `deleteversions` drops a file's, a folder's or (`--all`, `dv`) the account's
 * histories and keeps the current files. What the server holds is read by a fresh session of ours and by
 * megajs (`f2`, the versions by parent), so the cache and the server are both checked.
 */
describe('removing file versions (rm name#mtime, deleteversions)', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  const local = tempDir('unversion-')

  /** Uploads `texts` in turn to `folder/name`, each with its own mtime: the last is the file, the others its versions. */
  async function versioned(folder: string, name: string, texts: string[], base: number): Promise<void> {
    const file = join(local, name)
    for (const [i, text] of texts.entries()) {
      writeFileSync(file, text)
      utimesSync(file, base + i * 1000, base + i * 1000)
      expectOk(await mega.run(['put', file, folder]))
    }
  }

  /** The VERS column of `ls -l` for one file, as a user (ours or a fresh session) sees it. */
  async function vers(user: MegaUser, path: string): Promise<number> {
    const [, row] = expectOk(await user.run(['ls', '-l', path])).split('\n')
    return Number(row.trim().split(/\s+/)[1])
  }

  /** Every version the server holds (`f2`), as megajs sees it: handle → parent. */
  async function serverVersions(): Promise<Array<{h: string; p: string}>> {
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      const reply = (await storage.api.request({a: 'f', c: 1} as never)) as unknown as {f2?: Array<{h: string; p: string}>}
      return reply.f2 ?? []
    } finally {
      storage.api.close()
    }
  }

  async function freshSession(): Promise<MegaUser> {
    const fresh = new MegaUser(server().url)
    await fresh.login(EMAIL, PASSWORD)
    return fresh
  }

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    expectOk(await mega.run(['mkdir', '-p', '/one', '/many/sub', '/plain']))
  })

  it('rm name#mtime deletes that version alone: the others stay, in order, and the file keeps its bytes', async function () {
    await versioned('/one', 'v.txt', ['first\n', 'second!\n', 'third...\n'], T0)
    expect(await vers(mega, '/one/v.txt')).to.equal(3)
    // The middle version: its older one is relinked under the newest file.
    expectOk(await mega.run(['rm', `/one/v.txt#${T0 + 1000}`]))
    for (const user of [mega, await freshSession()]) {
      const lines = expectOk(await user.run(['ls', '--versions', '/one/v.txt'])).split('\n')
      expect(lines[0]).to.match(/v\.txt$/)
      expect(lines.slice(1, -1).map((line) => line.split('[')[0])).to.deep.equal([`  v.txt#${T0}`])
      expect(await vers(user, '/one/v.txt')).to.equal(2)
      expect(expectOk(await user.run(['cat', '/one/v.txt']))).to.equal('third...\n')
      expect(expectOk(await user.run(['cat', `/one/v.txt#${T0}`]))).to.equal('first\n')
    }
    const versions = await serverVersions()
    expect(versions).to.have.length(1)
    const newest = expectOk(await mega.run(['ls', '--show-handles', '/one/v.txt'])).match(/<H:([\w-]+)>/)![1]
    expect(versions[0].p).to.equal(newest)
  })

  it('rm of a version that does not exist: 53, and nothing changes', async function () {
    expectFailure(await mega.run(['rm', `/one/v.txt#${T0 + 5}`]), 53, new RegExp(`^/one/v\\.txt#${T0 + 5}: No such file or directory$`))
    expect(await vers(await freshSession(), '/one/v.txt')).to.equal(2)
  })

  it('deleteversions without -f and no terminal: 51, and nothing changes', async function () {
    expectFailure(await mega.run(['deleteversions', '/one/v.txt']), 51, /use -f in non-interactive mode/)
    expectFailure(await mega.run(['deleteversions', '--all']), 51, /use -f in non-interactive mode/)
    expectFailure(await mega.run(['deleteversions', '--all', '/one/v.txt']), 51, /^Usage: deleteversions/)
    expect(await vers(await freshSession(), '/one/v.txt')).to.equal(2)
  })

  it('deleteversions -f on a file: only the current file is left, with its bytes', async function () {
    expect(expectOk(await mega.runShim('deleteversions', ['-f', '/one/v.txt']))).to.equal('')
    for (const user of [mega, await freshSession()]) {
      expect(await vers(user, '/one/v.txt')).to.equal(1)
      expect(expectOk(await user.run(['cat', '/one/v.txt']))).to.equal('third...\n')
    }
    expect(await serverVersions()).to.deep.equal([])
  })

  it('deleteversions on a file without versions says so and exits 0; -f silences it', async function () {
    await versioned('/plain', 'p.txt', ['only\n'], T0)
    const result = await mega.run(['deleteversions', '/plain/p.txt'])
    expect(result.code).to.equal(0)
    expect(result.stderr).to.equal('No versions found for p.txt\n')
    expect(result.stdout).to.equal('')
    const forced = await mega.run(['deleteversions', '-f', '/plain/p.txt'])
    expect([forced.code, forced.stdout, forced.stderr]).to.deep.equal([0, '', ''])
  })

  it('deleteversions -f of several files and a folder (its whole subtree); missing paths 53', async function () {
    await versioned('/many', 'a.txt', ['a1\n', 'a22\n'], T0)
    await versioned('/many/sub', 'b.txt', ['b1\n', 'b22\n', 'b333\n'], T0)
    await versioned('/many/sub', 'c.txt', ['c1\n', 'c22\n'], T0)
    await versioned('/one', 'w.txt', ['w1\n', 'w22\n'], T0)
    expect(await serverVersions()).to.have.length(5)
    // MEGAcmd (built with PCRE) takes a `.` for a pattern: only a name without one is "not found" literally.
    const missing = await mega.run(['deleteversions', '-f', '/nowhere.txt', '/one/w.txt', '/nowhere'])
    expect(missing.code).to.equal(53)
    expect(missing.stderr).to.equal('No node found: /nowhere.txt\nNode not found: /nowhere\n')
    expect(await vers(mega, '/one/w.txt')).to.equal(1)
    expect(await serverVersions()).to.have.length(4)
    expectOk(await mega.run(['deleteversions', '-f', '/many']))
    for (const user of [mega, await freshSession()]) {
      for (const path of ['/many/a.txt', '/many/sub/b.txt', '/many/sub/c.txt']) expect(await vers(user, path), path).to.equal(1)
      expect(expectOk(await user.run(['cat', '/many/sub/b.txt']))).to.equal('b333\n')
    }
    expect(await serverVersions()).to.deep.equal([])
  })

  it('deleteversions on a terminal asks per file (MEGAcmd\'s question) and deletes only what was confirmed', async function () {
    expectOk(await mega.run(['mkdir', '/pty']))
    await versioned('/pty', 'keep.txt', ['k1\n', 'k22\n'], T0)
    await versioned('/pty', 'drop.txt', ['d1\n', 'd22\n'], T0)
    const result = await runInPty([process.execPath, MEGA_BIN, 'deleteversions', '/pty/keep.txt', '/pty/drop.txt'], mega.env(), [
      {prompt: /Are you sure todelete the version histories of keep\.txt\? \(Yes\/No\):/, input: 'no\r'},
      {prompt: /Are you sure todelete the version histories of drop\.txt\? \(Yes\/No\):/, input: 'yes\r'},
    ])
    expect(result.code, result.output).to.equal(0)
    const fresh = await freshSession()
    expect(await vers(fresh, '/pty/keep.txt')).to.equal(2)
    expect(await vers(fresh, '/pty/drop.txt')).to.equal(1)
  })

  it('deleteversions -f --all drops every history in the account and keeps every file', async function () {
    await versioned('/one', 'v.txt', ['fourth\n', 'fifth!\n'], T0 + 10_000)
    await versioned('/many/sub', 'b.txt', ['b4444\n'], T0 + 10_000)
    expect(await serverVersions()).to.have.length(4)
    expect(expectOk(await mega.run(['deleteversions', '-f', '--all']))).to.equal(
      'File versions deleted successfully. Please note that the current files were not deleted, just their history.\n')
    expect(await serverVersions()).to.deep.equal([])
    for (const user of [mega, await freshSession()]) {
      expect(await vers(user, '/one/v.txt')).to.equal(1)
      expect(await vers(user, '/many/sub/b.txt')).to.equal(1)
      expect(expectOk(await user.run(['cat', '/one/v.txt']))).to.equal('fifth!\n')
      expect(expectOk(await user.run(['ls', '--versions', '/many/sub']))).to.equal('b.txt\nc.txt\n')
    }
  })
})
