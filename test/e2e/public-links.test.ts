import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {API, File, type MutableFile, Storage} from 'megajs'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite, serverLinks, serverNodeCount} from '../helpers/local-server.js'

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'
const BOB = 'bob@example.com'

/**
 * Public links used without login: the user guide's scripts exactly as written (through real `mega-*` shims and
 * `sh -c`), links that expire, and megajs as an independent second client in both directions.
 */
describe('public links: the user guide\'s scripts, expiry, and megajs', function () {
  const server = localServerForSuite([{email: ALICE, password: PASSWORD}, {email: BOB, password: PASSWORD}])
  let alice: MegaUser
  let storage: Storage
  let megajsApi: API
  const content = {top: randomBytes(5000), deep: randomBytes(400_000), empty: Buffer.alloc(0)}
  let folderPh: string
  let folderKey: string
  let deepHandle: string

  before(async function () {
    alice = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    const local = tempDir('mega-public-')
    mkdirSync(join(local, 'tree', 'inner', 'innermost'), {recursive: true})
    writeFileSync(join(local, 'tree', 'top.txt'), content.top)
    writeFileSync(join(local, 'tree', 'inner', 'innermost', 'deep.bin'), content.deep)
    writeFileSync(join(local, 'tree', 'inner', 'empty.txt'), content.empty)
    expectOk(await alice.run(['put', join(local, 'tree'), '/']))
    const out = expectOk(await alice.run(['export', '-a', '-f', '/tree']))
    ;[, folderPh, folderKey] = /^Exported \/tree : https:\/\/mega\.nz\/folder\/([\w-]{8})#([\w-]{22})\n$/.exec(out)!
    const {entries} = JSON.parse(expectOk(await alice.run(['ls', '--json', '/tree/inner/innermost']))) as {entries: Array<{name: string; handle: string}>}
    deepHandle = entries.find((entry) => entry.name === 'deep.bin')!.handle
    storage = await new Storage({email: ALICE, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    megajsApi = new API(false, {gateway: server().url})
  })

  after(function () {
    storage?.api.close()
    megajsApi?.close()
  })

  function expectTree(dir: string): void {
    expect(readFileSync(join(dir, 'top.txt')).equals(content.top)).to.equal(true)
    expect(readFileSync(join(dir, 'inner', 'innermost', 'deep.bin')).equals(content.deep)).to.equal(true)
    expect(readFileSync(join(dir, 'inner', 'empty.txt'))).to.have.length(0)
    expect(readdirSync(dir).sort()).to.deep.equal(['inner', 'top.txt'])
  }

  it('seed script 1: mega-get of an old-form folder link (#F!h!k) downloads the whole tree without login', async () => {
    const stranger = new MegaUser(server().url)
    const dest = tempDir('mega-seed1-')
    const folder = join(dest, 'local folder')
    mkdirSync(folder)
    const result = await stranger.runScript(`mega-get https://mega.nz/#F!${folderPh}!${folderKey} '${folder}'`, ['get'])
    expect(expectOk(result)).to.equal(`Download finished: ${join(folder, 'tree')}\n`)
    expectTree(join(folder, 'tree'))
  })

  it('gets the new form, and a folder or file inside a folder link, and the shims answer as `mega get`', async () => {
    const stranger = new MegaUser(server().url)
    const dest = tempDir('mega-folder-forms-')
    expect(expectOk(await stranger.runShim('get', [`https://mega.nz/folder/${folderPh}#${folderKey}`, dest]))).to.equal(`Download finished: ${join(dest, 'tree')}\n`)
    expectTree(join(dest, 'tree'))
    const {entries} = JSON.parse(expectOk(await alice.run(['ls', '--json', '/tree/inner']))) as {entries: Array<{name: string; handle: string}>}
    const innermost = entries.find((entry) => entry.name === 'innermost')!.handle
    const sub = tempDir('mega-folder-sub-')
    expectOk(await stranger.run(['get', `https://mega.nz/folder/${folderPh}#${folderKey}/folder/${innermost}`, sub]))
    expect(readFileSync(join(sub, 'innermost', 'deep.bin')).equals(content.deep)).to.equal(true)
    expectOk(await stranger.run(['get', `https://mega.nz/folder/${folderPh}#${folderKey}/file/${deepHandle}`, sub]))
    expect(readFileSync(join(sub, 'deep.bin')).equals(content.deep)).to.equal(true)
    // A handle the folder does not hold (54), a wrong key (14): nothing written.
    const none = tempDir('mega-folder-bad-')
    expectFailure(await stranger.run(['get', `https://mega.nz/folder/${folderPh}#${folderKey}/file/AAAAAAAA`, none]), 54,
      /^Failed to get node corresponding to handle within public link AAAAAAAA$/)
    expectFailure(await stranger.run(['get', `https://mega.nz/#F!${folderPh}!${randomBytes(16).toString('base64url')}`, none]), 14,
      /^Failed to access folder link .*: Invalid key\/Decryption error$/)
    expectFailure(await stranger.run(['get', 'https://mega.nz/#F!abc', none]), 55, /^Invalid link/)
    expect(readdirSync(none)).to.deep.equal([])
  })

  it('seed script 2: put, then export -a --expire=10M | awk \'{print $4}\' gives a link that downloads the same bytes', async () => {
    const local = tempDir('mega-seed2-')
    const resource = join(local, 'temporary_resource')
    const data = randomBytes(123_456)
    writeFileSync(resource, data)
    expectOk(await alice.run(['mkdir', '/exportedstuff']))
    const script = `mega-put '${resource}' /exportedstuff/ && mega-export -a /exportedstuff/temporary_resource --expire=10M | awk '{print $4}'`
    // The script's output: put's line, then what awk took from export's.
    const lines = expectOk(await alice.runScript(script, ['put', 'export'])).trim().split('\n')
    expect(lines[0]).to.equal('Upload finished: /exportedstuff/temporary_resource')
    const link = lines.at(-1)!
    expect(link).to.match(/^https:\/\/mega\.nz\/file\/[\w-]{8}#[\w-]{43}$/)
    const [row] = serverLinks(server()).filter((l) => l.ets !== null)
    const now = Math.floor(Date.now() / 1000)
    expect(row.ets! - now).to.be.within(540, 600)
    const dest = tempDir('mega-seed2-dest-')
    expect(expectOk(await new MegaUser(server().url).runShim('get', [link, dest]))).to.equal(`Download finished: ${join(dest, 'temporary_resource')}\n`)
    expect(readFileSync(join(dest, 'temporary_resource')).equals(data)).to.equal(true)
  })

  it('seed script 3: a find --pattern loop exporting each match prints one working link per match', async () => {
    const local = tempDir('mega-seed3-')
    const may = join(local, 'may')
    mkdirSync(join(may, 'cuts'), {recursive: true})
    const files: Record<string, Buffer> = {'a.mpeg': randomBytes(40_000), 'b.mpeg': randomBytes(1_000), 'cuts/c.mpeg': randomBytes(5_000), 'notes.txt': randomBytes(10)}
    for (const [name, data] of Object.entries(files)) writeFileSync(join(may, name), data)
    expectOk(await alice.run(['mkdir', '-p', '/enterprise/video/promotional2015']))
    expectOk(await alice.run(['put', may, '/enterprise/video/promotional2015/']))
    const script = 'for i in $(mega-find /enterprise/video/promotional2015/may --pattern="*mpeg"); do mega-export -a $i | awk \'{print $4}\'; done'
    const links = expectOk(await alice.runScript(script, ['find', 'export'])).trim().split('\n')
    expect(links).to.have.length(3)
    const stranger = new MegaUser(server().url)
    const downloaded: Buffer[] = []
    for (const link of links) {
      expect(link).to.match(/^https:\/\/mega\.nz\/file\/[\w-]{8}#[\w-]{43}$/)
      const dest = tempDir('mega-seed3-dest-')
      expectOk(await stranger.runShim('get', [link, dest]))
      const [name] = readdirSync(dest)
      downloaded.push(readFileSync(join(dest, name)))
    }
    // find's post-order: the subfolder's match first, then the folder's own files.
    expect(downloaded.map((data) => data.toString('hex'))).to.deep.equal([files['cuts/c.mpeg'], files['a.mpeg'], files['b.mpeg']].map((data) => data.toString('hex')))
  })

  it('refuses an expired link (EEXPIRED, 8) for get and import, and the listing says "expired at"', async () => {
    const local = tempDir('mega-expiring-')
    writeFileSync(join(local, 'brief.txt'), 'short-lived')
    mkdirSync(join(local, 'briefdir'))
    writeFileSync(join(local, 'briefdir', 'x.txt'), 'x')
    expectOk(await alice.run(['put', join(local, 'brief.txt'), join(local, 'briefdir'), '/']))
    const file = / : (\S+) expires at /.exec(expectOk(await alice.run(['export', '-a', '--expire=2s', '/brief.txt'])))![1]
    const folder = / : (\S+) expires at /.exec(expectOk(await alice.run(['export', '-a', '--expire=2s', '/briefdir'])))![1]
    const stranger = new MegaUser(server().url)
    // Poll the observable state: each download works until its link's second has passed, then is refused. The
    // folder was exported later, so its expiry may be a second after the file's.
    const get = (link: string): Promise<Awaited<ReturnType<MegaUser['run']>>> => stranger.run(['get', link, tempDir('mega-expired-dest-')])
    const untilRefused = async (link: string): Promise<Awaited<ReturnType<MegaUser['run']>>> => {
      let result = await get(link)
      for (let tries = 0; result.code === 0 && tries < 30; tries++) result = await get(link)
      // On a busy machine the link can expire between two requests of one get, which is refused too (8, one
      // line); from then on every get is refused at its first request, whose message is checked below.
      expectFailure(result, 8)
      return get(link)
    }
    expectFailure(await untilRefused(file), 8, /^Failed to get public node: Expired$/)
    expectFailure(await untilRefused(folder), 8, /^Failed to access folder link .*: Expired$/)
    const count = serverNodeCount(server())
    const importer = new MegaUser(server().url)
    await importer.login(BOB, PASSWORD)
    expectFailure(await importer.run(['import', file, '/']), 8, /^Failed to import node: Expired$/)
    expectFailure(await importer.run(['import', folder, '/']), 8, /^Failed to access folder link .*: Expired$/)
    expect(serverNodeCount(server())).to.equal(count)
    const listing = expectOk(await alice.run(['export', '/brief.txt']))
    expect(listing).to.match(/^\/brief\.txt \(11\.00 B, shared as exported temporal file link: https:\/\/mega\.nz\/file\/\S+ expired at \w{3}, /)
    expectOk(await alice.run(['export', '-d', '/brief.txt', '/briefdir']))
  })

  it('megajs opens our file and folder links and downloads the same bytes', async () => {
    const fileLink = / : (\S+)$/m.exec(expectOk(await alice.run(['export', '-a', '/tree/top.txt'])))![1]
    const file = File.fromURL(fileLink, {api: megajsApi})
    await file.loadAttributes()
    expect(file.name).to.equal('top.txt')
    expect((await file.downloadBuffer({})).equals(content.top)).to.equal(true)
    const folder = File.fromURL(`https://mega.nz/folder/${folderPh}#${folderKey}`, {api: megajsApi})
    await folder.loadAttributes()
    expect(folder.name).to.equal('tree')
    const inner = folder.children!.find((child) => child.name === 'inner')!
    const innermost = inner.children!.find((child) => child.name === 'innermost')!
    const deep = innermost.children!.find((child) => child.name === 'deep.bin')!
    // megajs gives a folder's children its global API object (new File(node, storage)): point them at our server.
    deep.api = megajsApi
    expect((await deep.downloadBuffer({})).equals(content.deep)).to.equal(true)
    expectOk(await alice.run(['export', '-d', '/tree/top.txt']))
  })

  it('downloads and imports the file and folder links megajs makes', async () => {
    const data = randomBytes(77_777)
    const dir = await storage.mkdir('byMegajs')
    const uploaded = await dir.upload({name: 'm.bin', size: data.length}, Buffer.from(data)).complete as MutableFile
    const fileLink = await uploaded.link({})
    const folderLink = await dir.link({})
    expect(folderLink).to.match(/^https:\/\/mega\.nz\/folder\//)
    const stranger = new MegaUser(server().url)
    const dest = tempDir('mega-from-megajs-')
    expectOk(await stranger.run(['get', fileLink, dest]))
    expect(readFileSync(join(dest, 'm.bin')).equals(data)).to.equal(true)
    expectOk(await stranger.run(['get', folderLink, dest]))
    expect(readFileSync(join(dest, 'byMegajs', 'm.bin')).equals(data)).to.equal(true)
    const bob = new MegaUser(server().url)
    await bob.login(BOB, PASSWORD)
    expect(expectOk(await bob.run(['import', folderLink]))).to.equal('Imported folder complete: /byMegajs\n')
    expect(expectOk(await bob.run(['import', fileLink]))).to.equal('Import file complete: /m.bin\n')
    expectOk(await bob.run(['get', '/byMegajs/m.bin', join(dest, 'imported.bin')]))
    expect(readFileSync(join(dest, 'imported.bin')).equals(data)).to.equal(true)
    // Our listing shows what megajs exported (the cache learns the links from the account's events).
    const listing = expectOk(await alice.run(['export', '/byMegajs']))
    expect(listing).to.equal(`/byMegajs/m.bin (75.95 KB, shared as exported permanent file link: ${fileLink})\n/byMegajs (folder, shared as exported permanent folder link: ${folderLink})\n`)
  })
})
