import {expect} from 'chai'
import {utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {expectKeptTotalsMatchScan} from '../helpers/cached-totals.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'versions@example.com'
const PASSWORD = 'versions pass'

/**
 * `put` onto an existing file name makes a new version (`p` with `ov`, as the SDK's File::completed): the old
 * file becomes a version of the new one, kept on the server and in the cache as a child of the file, out of
 * listings, find and du; `ls -l` counts them in VERS. A fresh session learns them from `f2`; megajs, which reads
 * only `f`, sees the newest file alone.
 */
describe('file versions', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  const local = tempDir('versions-')
  const notes = join(local, 'notes.txt')
  const contents = ['first\n', 'second!\n', 'third...\n']

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    expectOk(await mega.run(['mkdir', '/docs']))
    for (const [i, text] of contents.entries()) {
      writeFileSync(notes, text)
      utimesSync(notes, 1_700_000_000 + i * 1000, 1_700_000_000 + i * 1000)
      expectOk(await mega.run(['put', notes, '/docs']))
    }
  })

  /** The VERS and SIZE columns of `ls -l` for one path. */
  async function versAndSize(user: MegaUser, path: string): Promise<string[]> {
    const [, row] = expectOk(await user.run(['ls', '-l', path])).split('\n')
    return row.trim().split(/\s+/).slice(1, 3)
  }

  it('keeps the replaced files as versions: one name, VERS 3, the newest bytes', async function () {
    expect(expectOk(await mega.run(['ls', '/docs']))).to.equal('notes.txt\n')
    expect(await versAndSize(mega, '/docs/notes.txt')).to.deep.equal(['3', String(contents[2].length)])
    expect(expectOk(await mega.run(['cat', '/docs/notes.txt']))).to.equal(contents[2])
  })

  it('leaves versions out of find and du, also in a new session that loads them from f2', async function () {
    const fresh = new MegaUser(server().url)
    await fresh.login(EMAIL, PASSWORD)
    for (const user of [mega, fresh]) {
      expect(expectOk(await user.run(['find', '/docs']))).to.equal('/docs/notes.txt\n/docs\n')
      expect(expectOk(await user.run(['du', '/docs']))).to.match(new RegExp(`^/docs:\\s+${contents[2].length}\\n`, 'm'))
      // Versions counted as the uploads made them (mega) and as a reload loads them (fresh).
      expectKeptTotalsMatchScan(user.home, 'uploads of new versions')
    }
    expect(await versAndSize(fresh, '/docs/notes.txt')).to.deep.equal(['3', String(contents[2].length)])
  })

  it('du --versions adds a column with the versions\' bytes (and the total)', async function () {
    const all = contents.reduce((sum, text) => sum + text.length, 0)
    const lines = expectOk(await mega.run(['du', '--versions', '--path-display-size=10', '/docs', '/'])).split('\n')
    expect(lines).to.deep.equal([
      `FILENAME  ${'SIZE'.padStart(12)}${'S.WITH VERS'.padStart(12)}`, `/docs:    ${String(contents[2].length).padStart(12)}${String(all).padStart(12)}`,
      `/:        ${String(contents[2].length).padStart(12)}${String(all).padStart(12)}`, '-'.repeat(34),
      `Tot...sed:${String(2 * contents[2].length).padStart(12)}${String(2 * all).padStart(12)}`, ''])
  })

  it('keeps the old bytes retrievable: each version, by handle, has its own content', async function () {
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      // megajs reads `f` only: the newest file, once.
      const docs = storage.root.children!.find((n) => n.name === 'docs')!
      expect(docs.children!.map((n) => n.name)).to.deep.equal(['notes.txt'])
      expect((await docs.children![0].downloadBuffer({})).toString()).to.equal(contents[2])
      const reply = (await storage.api.request({a: 'f', c: 1} as never)) as unknown as {f2: Array<{h: string; p: string}>}
      // The chain: the second version's parent is the newest file, the first version's parent the second.
      const newest = docs.children![0].nodeId!
      const second = reply.f2.find((n) => n.p === newest)!
      const first = reply.f2.find((n) => n.p === second.h)!
      expect(expectOk(await mega.run(['cat', `H:${second.h}`]))).to.equal(contents[1])
      expect(expectOk(await mega.run(['cat', `H:${first.h}`]))).to.equal(contents[0])
    } finally {
      storage.api.close()
    }
  })

  it('uploads nothing for identical content: no new version', async function () {
    expect(expectOk(await mega.run(['put', notes, '/docs']))).to.match(/notes\.txt/)
    expect(await versAndSize(mega, '/docs/notes.txt')).to.deep.equal(['3', String(contents[2].length)])
  })

  it('removes the versions with their file', async function () {
    expectOk(await mega.run(['rm', '/docs/notes.txt']))
    expectKeptTotalsMatchScan(mega.home, 'the removal of a file with versions')
    const fresh = new MegaUser(server().url)
    await fresh.login(EMAIL, PASSWORD)
    expect(expectOk(await fresh.run(['ls', '/docs']))).to.equal('')
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      const reply = (await storage.api.request({a: 'f', c: 1} as never)) as unknown as {f2?: unknown[]}
      expect(reply.f2 ?? []).to.deep.equal([])
    } finally {
      storage.api.close()
    }
  })
})
