import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {API, File, Storage, type MutableFile} from 'megajs'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'copier@example.com'
const PASSWORD = 'copier pass'

/**
 * cp: server-side copies with `p` naming the existing nodes (files keep their key, folders get new keys and their
 * whole subtree), checked by megajs as an independent client: it decrypts and downloads the copies, compares
 * keys, and sees replaced files kept as versions.
 */
describe('cp', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  const data = {a: randomBytes(100_003), b: randomBytes(5000), deep: randomBytes(70_000)}

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    const local = tempDir('cp-files-')
    for (const [name, bytes] of Object.entries(data)) writeFileSync(join(local, `${name}.bin`), bytes)
    expectOk(await mega.run(['mkdir', '-p', '/src/sub/deeper', '/dst', '/shared']))
    expectOk(await mega.run(['put', join(local, 'a.bin'), join(local, 'b.bin'), '/src']))
    expectOk(await mega.run(['put', join(local, 'deep.bin'), '/src/sub/deeper']))
  })

  /** The account as megajs sees it, in a session of its own. */
  async function megajs(): Promise<{storage: Storage; at: (path: string) => MutableFile | undefined}> {
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    return {storage, at: (path) => storage.root.navigate(path.split('/').filter(Boolean))}
  }

  const find = async (path: string) => expectOk(await mega.run(['find', path])).split('\n').slice(0, -1)

  it('copies a file into a folder and under a new name: same key, same bytes, new handles', async function () {
    expectOk(await mega.run(['cp', '/src/a.bin', '/dst']))
    expectOk(await mega.run(['cp', '/src/b.bin', '/dst/renamed.bin']))
    expect(await find('/dst')).to.deep.equal(['/dst/a.bin', '/dst/renamed.bin', '/dst'])
    const {storage, at} = await megajs()
    try {
      const [source, copy] = [at('src/a.bin')!, at('dst/a.bin')!]
      expect(copy.nodeId).to.not.equal(source.nodeId)
      expect(copy.key!.equals(source.key!), 'a file copy keeps its key (MegaClient::putnodes_prepareCopy)').to.equal(true)
      expect((await copy.downloadBuffer({})).equals(data.a)).to.equal(true)
      expect((await at('dst/renamed.bin')!.downloadBuffer({})).equals(data.b)).to.equal(true)
    } finally {
      storage.api.close()
    }
  })

  it('copies a folder with everything in it, each folder under a new key', async function () {
    expectOk(await mega.run(['cp', '/src', '/dst/src-copy']))
    expect(await find('/dst/src-copy')).to.deep.equal(['/dst/src-copy/sub/deeper/deep.bin', '/dst/src-copy/sub/deeper', '/dst/src-copy/sub',
      '/dst/src-copy/a.bin', '/dst/src-copy/b.bin', '/dst/src-copy'])
    const {storage, at} = await megajs()
    try {
      for (const path of ['src', 'src/sub', 'src/sub/deeper']) {
        expect(at(path.replace(/^src/, 'dst/src-copy'))!.key!.equals(at(path)!.key!), `${path} has a key of its own`).to.equal(false)
      }
      expect((await at('dst/src-copy/sub/deeper/deep.bin')!.downloadBuffer({})).equals(data.deep)).to.equal(true)
    } finally {
      storage.api.close()
    }
    // A folder into itself copies what it held before (a snapshot, as the SDK does).
    expectOk(await mega.run(['cp', '/src/sub', '/src/sub/deeper']))
    expect(await find('/src/sub')).to.deep.equal(['/src/sub/deeper/sub/deeper/deep.bin', '/src/sub/deeper/sub/deeper', '/src/sub/deeper/sub',
      '/src/sub/deeper/deep.bin', '/src/sub/deeper', '/src/sub'])
  })

  it('replaces an existing file, keeps the old one as a version when copying next to it, and skips an identical one', async function () {
    const handleOf = async (path: string) => expectOk(await mega.run(['find', path, '--print-only-handles'])).trim()
    // Onto a file: the copy takes its name and place, the old one is deleted (MEGAcmd copyNode).
    const old = await handleOf('/dst/renamed.bin')
    expectOk(await mega.run(['cp', '/src/a.bin', '/dst/renamed.bin']))
    expect(await handleOf('/dst/renamed.bin')).to.not.equal(old)
    expect((await mega.runBinary(['cat', '/dst/renamed.bin'])).stdout.equals(data.a)).to.equal(true)
    // Next to a different file of the same name: the server keeps that one as a version of the copy (`ov`).
    expectOk(await mega.run(['cp', '/src/b.bin', '/dst/a.bin']))
    const replaced = await handleOf('/dst/a.bin')
    expectOk(await mega.run(['cp', '/dst/a.bin', '/src']))
    expect(expectOk(await mega.run(['ls', '/src']))).to.equal('sub\na.bin\nb.bin\n')
    const {storage, at} = await megajs()
    try {
      const [fetched] = [await storage.api.request({a: 'f', c: 1} as never) as unknown as {f2?: Array<{h: string; p: string}>}]
      const version = fetched.f2?.find((node) => node.p === at('src/a.bin')!.nodeId)
      expect(version, 'the replaced /src/a.bin is a version of its copy').to.not.equal(undefined)
      expect((await at('src/a.bin')!.downloadBuffer({})).equals(data.b)).to.equal(true)
    } finally {
      storage.api.close()
    }
    // The same file again: identical fingerprints, nothing copied (the SDK's EEXIST), the handle stays.
    expectOk(await mega.run(['cp', '/src/b.bin', '/dst/a.bin']))
    expect(await handleOf('/dst/a.bin')).to.equal(replaced)
    expect(expectOk(await mega.run(['cp', '/dst', '/dst']))).to.equal('')
  })

  it('copies into an exported folder so that the link\'s visitors can open the copies', async function () {
    const {storage, at} = await megajs()
    let link: string
    try {
      link = await at('shared')!.link(false)
    } finally {
      storage.api.close()
    }
    expectOk(await mega.run(['cp', '/src/sub', '/shared']))
    // megajs opens the link with a session-less API object, as a visitor would.
    const visitor = File.fromURL(link, {api: new API(false, {gateway: server().url})})
    await visitor.loadAttributes()
    // The names decrypt only if the copies' keys were also given under the share key (`cr`).
    const deep = visitor.children!.find((c) => c.name === 'sub')!.children!.find((c) => c.name === 'deeper')!.children!.find((c) => c.name === 'deep.bin')!
    // megajs gives the nodes below a link no API object of their own: lend them the link's.
    Object.assign(deep, {api: (visitor as unknown as {api: API}).api})
    expect((await deep.downloadBuffer({})).equals(data.deep)).to.equal(true)
  })

  it('takes --use-pcre sources; several sources need a folder (55, nothing copied)', async function () {
    expectOk(await mega.run(['mkdir', '/pcre']))
    expectOk(await mega.run(['cp', '--use-pcre', '/src/[ab]\\.bin', '/pcre']))
    expect(expectOk(await mega.run(['ls', '/pcre']))).to.equal('a.bin\nb.bin\n')
    expectFailure(await mega.run(['cp', '/src/a.bin', '/src/b.bin', '/pcre/a.bin']), 55, /^\/pcre\/a\.bin must be a valid folder$/)
    expectFailure(await mega.run(['cp', '/src/*.bin', '/pcre/new.bin']), 55, /^\/pcre\/new\.bin must be a valid folder$/)
    expect(expectOk(await mega.run(['ls', '/pcre']))).to.equal('a.bin\nb.bin\n')
  })

  it('refuses what it cannot copy with MEGAcmd\'s messages and codes, copying the other sources', async function () {
    const before = await find('/')
    expectFailure(await mega.run(['cp', '/src', '/dst/a.bin']), 55, /^Cannot overwrite file with folder$/)
    expectFailure(await mega.run(['cp', '/src/a.bin', '/nothere/x']), 53, /^\/nothere\/x Couldn't find destination$/)
    expectFailure(await mega.run(['cp', '/src/a.bin', '/src/b.bin/x']), 2, /^Failed to copy node: Invalid argument$/)
    expectFailure(await mega.run(['cp', '/', '/dst']), 14, /^Failed to copy node: Invalid key\/Decryption error$/)
    expectFailure(await mega.run(['cp', '/src/a.bin']), 51, /^Usage: cp /)
    expect(await find('/')).to.deep.equal(before)
    const some = await mega.run(['cp', '/nothere', '/src/a.bin', '/pcre'])
    expect([some.code, some.stderr]).to.deep.equal([53, '/nothere: No such file or directory\n'])
    expect(expectOk(await mega.run(['ls', '/pcre']))).to.equal('a.bin\nb.bin\n')
  })

  it('is refused in a folder-link session (56), which is read-only', async function () {
    const {storage, at} = await megajs()
    let link: string
    try {
      link = await at('src')!.link(false)
    } finally {
      storage.api.close()
    }
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    expectFailure(await visitor.run(['cp', '/a.bin', '/sub']), 56)
  })
})
