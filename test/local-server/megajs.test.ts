import {expect} from 'chai'
import {createDecipheriv, randomBytes} from 'node:crypto'
import {API, File, Storage} from 'megajs'
import {currentStep, totpCode} from '../../plugins/local-server/dist/index.js'
import {addUser, rawApi, startLocalServer, type TestServer} from '../helpers/local-server.js'

/** The local server driven by an unmodified megajs 1.3.10, the way it drives the real service. */
describe('local server: megajs 1.3.10 as the client', function () {
  this.timeout(60_000)
  let server: TestServer
  const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

  before(async () => {
    server = await startLocalServer()
    await addUser(server, 'alice@example.com', 'alice secret', {name: 'Alice A'})
    await addUser(server, 'Bob@Example.com', 'bob secret', {name: 'Bob B', version: 1})
    await addUser(server, 'carol@example.com', 'carol secret', {totpSecret: TOTP_SECRET})
  })
  after(() => server?.stop())

  function login(email: string, password: string, extra: Record<string, unknown> = {}): Promise<Storage> {
    return new Storage({email, password, gateway: server.url, keepalive: false, ...extra}).ready
  }

  /** A session-less API object for link URLs (File.fromURL otherwise talks to the real gateway). */
  function linkApi(): API {
    return new API(false, {gateway: server.url})
  }

  async function loginError(email: string, password: string, extra: Record<string, unknown> = {}): Promise<string> {
    try {
      await login(email, password, extra)
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('login succeeded')
  }

  it('logs in to a v2 account and loads its tree', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    expect(storage.name).to.equal('Alice A')
    expect(storage.user).to.match(/^[\w-]{11}$/)
    expect(storage.root.name).to.equal('Cloud Drive')
    expect(storage.trash.name).to.equal('Rubbish Bin')
    expect(storage.inbox.name).to.equal('Inbox')
    const info = await storage.getAccountInfo()
    expect(info.spaceTotal).to.equal(20 * 1024 ** 3)
  })

  it('logs in to a v1 account, whatever the case of the email', async () => {
    const storage = await login('BOB@example.COM', 'bob secret')
    expect(storage.name).to.equal('Bob B')
    expect(storage.root.children).to.deep.equal([])
  })

  it('rejects a wrong password with ENOENT (-9), for v1 and v2 accounts', async () => {
    expect(await loginError('alice@example.com', 'wrong')).to.match(/ENOENT \(-9\)/)
    expect(await loginError('bob@example.com', 'wrong')).to.match(/ENOENT \(-9\)/)
    expect(await loginError('nobody@example.com', 'x')).to.match(/ENOENT \(-9\)/)
  })

  it('requires and checks the two-factor code of an account with TOTP', async () => {
    expect(await loginError('carol@example.com', 'carol secret')).to.match(/EMFAREQUIRED \(-26\)/)
    const wrong = totpCode(TOTP_SECRET, currentStep() + 10)
    expect(await loginError('carol@example.com', 'carol secret', {secondFactorCode: wrong})).to.match(/EFAILED \(-5\)/)
    const code = totpCode(TOTP_SECRET, currentStep())
    const storage = await login('carol@example.com', 'carol secret', {secondFactorCode: code})
    expect(storage.root.name).to.equal('Cloud Drive')
    // A code works once: replaying it is refused (EEXPIRED), as MEGA does against replay attacks.
    expect(await loginError('carol@example.com', 'carol secret', {secondFactorCode: code})).to.match(/EEXPIRED \(-8\)/)
  })

  it('uploads and downloads (MAC-verified) files of 0 B, 1 B, 100 B, 131073 B and 5 MiB', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const folder = await storage.mkdir('transfers')
    const sizes = [0, 1, 100, 131073, 5 * 1024 * 1024]
    const contents = new Map<number, Buffer>()
    for (const size of sizes) {
      const data = randomBytes(size)
      contents.set(size, data)
      // megajs encrypts the buffer it is given in place: hand it a copy.
      const file = await folder.upload({name: `f${size}.bin`, size}, Buffer.from(data)).complete
      expect(file.size).to.equal(size)
      const back = await file.downloadBuffer({})
      expect(back.equals(data), `${size} B round trip`).to.equal(true)
    }
    // A second session sees the same tree and reads the data too.
    const other = await login('alice@example.com', 'alice secret')
    const remote = other.root.children!.find((c) => c.name === 'transfers')!
    expect(remote.children!.map((c) => [c.name, c.size]).sort()).to.deep.equal(sizes.map((s) => [`f${s}.bin`, s]).sort())
    const big = remote.children!.find((c) => c.name === `f${5 * 1024 * 1024}.bin`)!
    expect((await big.downloadBuffer({})).equals(contents.get(5 * 1024 * 1024)!)).to.equal(true)
  })

  it('renames, moves, trashes and deletes nodes', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const a = await storage.mkdir('dir-a')
    const b = await storage.mkdir('dir-b')
    const sub = await a.mkdir('sub')
    const file = await a.upload({name: 'note.txt', size: 5}, Buffer.from('hello')).complete
    await file.rename('renamed.txt')
    await file.moveTo(b)
    let view = await login('alice@example.com', 'alice secret')
    expect(view.root.navigate('dir-b/renamed.txt')?.name).to.equal('renamed.txt')
    expect(view.root.navigate('dir-a')!.children!.map((c: {name: string | null}) => c.name)).to.deep.equal(['sub'])

    let circular = ''
    await a.moveTo(sub).catch((error: Error) => (circular = error.message))
    expect(circular).to.match(/ECIRCULAR \(-10\)/)

    await file.delete() // not in the rubbish bin yet: megajs moves it there
    await b.delete(true) // permanent
    view = await login('alice@example.com', 'alice secret')
    expect(view.trash.children!.map((c) => c.name)).to.deep.equal(['renamed.txt'])
    expect(view.root.children!.map((c) => c.name)).to.not.include('dir-b')
    expect((await view.trash.children![0].downloadBuffer({})).toString()).to.equal('hello')
  })

  it('serves a file link without a session, and imports it into another account', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const data = randomBytes(100_000)
    const file = await storage.root.upload({name: 'public.bin', size: data.length}, Buffer.from(data)).complete
    const url = await file.link({})
    expect(url).to.match(/^https:\/\/mega\.nz\/file\/[\w-]{8}#[\w-]{43}$/)
    expect(await file.link({}), 'same public handle when asked again').to.equal(url)

    const shared = File.fromURL(url, {api: linkApi()})
    await shared.loadAttributes()
    expect(shared.name).to.equal('public.bin')
    expect(shared.size).to.equal(data.length)
    expect((await shared.downloadBuffer({})).equals(data)).to.equal(true)

    const bob = await login('bob@example.com', 'bob secret')
    const imported = await bob.root.importFile(File.fromURL(url, {api: linkApi()}))
    expect(imported.name).to.equal('public.bin')
    expect((await imported.downloadBuffer({})).equals(data)).to.equal(true)

    await file.unshare() // `l` with d:1
    let gone = ''
    await File.fromURL(url, {api: linkApi()}).loadAttributes().catch((error: Error) => (gone = error.message))
    expect(gone).to.match(/ENOENT \(-9\)/)
    expect((await imported.downloadBuffer({})).equals(data), 'the imported copy stays').to.equal(true)
  })

  it('copies a file with copyTo, sharing its data', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const data = randomBytes(50_000)
    const original = await storage.root.upload({name: 'original.bin', size: data.length}, Buffer.from(data)).complete
    const target = await storage.mkdir('copies')
    await original.copyTo(target)
    await original.delete(true)
    const view = await login('alice@example.com', 'alice secret')
    const copy = view.root.navigate('copies/original.bin')!
    expect(copy.nodeId).to.not.equal(original.nodeId)
    expect((await copy.downloadBuffer({})).equals(data)).to.equal(true)
  })

  it('serves a folder link: listing, nested folders and downloads, until it is removed', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const folder = await storage.mkdir('shared')
    const inner = await folder.mkdir('inner')
    const top = randomBytes(3000)
    const deep = randomBytes(200_000)
    await folder.upload({name: 'top.bin', size: top.length}, Buffer.from(top)).complete
    await inner.upload({name: 'deep.bin', size: deep.length}, Buffer.from(deep)).complete
    // megajs links a folder by sharing it with "EXP" (s2 + cr with every node key), then `l`.
    const url = await folder.link({})
    expect(url).to.match(/^https:\/\/mega\.nz\/folder\/[\w-]{8}#[\w-]{22}$/)

    const api = linkApi()
    const root = File.fromURL(url, {api})
    await root.loadAttributes()
    expect(root.name).to.equal('shared')
    expect(root.children!.map((c) => c.name).sort()).to.deep.equal(['inner', 'top.bin'])
    const innerView = root.children!.find((c) => c.name === 'inner')!
    expect(innerView.children!.map((c) => c.name)).to.deep.equal(['deep.bin'])
    for (const [node, data] of [[root.children!.find((c) => c.name === 'top.bin')!, top], [innerView.children![0], deep]] as const) {
      node.api = api // children made by loadAttributes get the global API; reads must go to this server
      expect((await node.downloadBuffer({})).equals(data)).to.equal(true)
    }

    await folder.unshare()
    let gone = ''
    await File.fromURL(url, {api: linkApi()}).loadAttributes().catch((error: Error) => (gone = error.message))
    expect(gone).to.match(/ENOENT \(-9\)/)
  })

  it('stores thumbnails and previews as file attributes that can be fetched back', async () => {
    const storage = await login('alice@example.com', 'alice secret')
    const thumbnail = randomBytes(1000)
    const preview = randomBytes(5000)
    const file = await storage.root.upload({name: 'pic.jpg', size: 10, thumbnailImage: thumbnail}, Buffer.alloc(10, 1)).complete
    await file.uploadAttribute('preview', preview)

    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{f: Array<{h: string; fa?: string}>}]
    const fa = tree.f.find((n) => n.h === file.nodeId)!.fa!
    expect(fa).to.match(/^\d+:0\*[\w-]{11}\/\d+:1\*[\w-]{11}$/)

    const aesKey = Buffer.alloc(16)
    for (let i = 0; i < 16; i++) aesKey[i] = file.key![i] ^ file.key![i + 16]
    for (const [type, original] of [[0, thumbnail], [1, preview]] as const) {
      const handle = new RegExp(`:${type}\\*([\\w-]{11})`).exec(fa)![1]
      const [{p}] = await rawApi(server, [{a: 'ufa', fah: handle, ssl: 0, r: 1}], {sid: storage.sid}) as [{p: string}]
      const reply = Buffer.from(await (await fetch(p, {method: 'POST', body: Buffer.from(handle, 'base64url')})).arrayBuffer())
      expect(reply.subarray(0, 8).toString('base64url')).to.equal(handle)
      const length = reply.readUInt32LE(8)
      const decipher = createDecipheriv('aes-128-cbc', aesKey, Buffer.alloc(16)).setAutoPadding(false)
      const plain = Buffer.concat([decipher.update(reply.subarray(12, 12 + length)), decipher.final()])
      expect(plain.subarray(0, original.length).equals(original)).to.equal(true)
    }
  })
})
