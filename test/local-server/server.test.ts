import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {API, File, Storage} from 'megajs'
import {addUser, localServerForSuite, rawApi, startLocalServer, type TestServer} from '../helpers/local-server.js'

/**
 * Stand-in encrypted attributes for raw nodes: one AES block. (megajs decrypts every node's attributes at
 * login and throws on a blob that is not a whole number of blocks, so raw tests must not plant such nodes.)
 */
const ATTRS = randomBytes(16).toString('base64url')

/** Persistence, account isolation, reply shapes and fault injection. */
describe('local server: persistence, isolation and faults', function () {
  this.timeout(60_000)
  let server: TestServer

  before(async () => {
    server = await startLocalServer()
    await addUser(server, 'alice@example.com', 'alice secret')
    await addUser(server, 'bob@example.com', 'bob secret')
  })
  after(() => server?.stop())

  function login(email: string, password: string, on: Pick<TestServer, 'url'> = server): Promise<Storage> {
    return new Storage({email, password, gateway: on.url, keepalive: false}).ready
  }

  it('keeps accounts, sessions, files and links across a restart', async () => {
    const before = await login('alice@example.com', 'alice secret')
    const data = randomBytes(300_000)
    const file = await (await before.mkdir('kept')).upload({name: 'kept.bin', size: data.length}, Buffer.from(data)).complete
    const url = await file.link({})
    await server.restart()

    const [user] = await rawApi(server, [{a: 'ug'}], {sid: before.sid}) as [{email: string}]
    expect(user.email, 'the old session still works').to.equal('alice@example.com')
    const after = await login('alice@example.com', 'alice secret')
    const kept = after.root.navigate('kept/kept.bin')!
    expect((await kept.downloadBuffer({})).equals(data)).to.equal(true)
    const shared = File.fromURL(url, {api: new API(false, {gateway: server.url})})
    expect((await shared.downloadBuffer({})).equals(data)).to.equal(true)
  })

  it('never lets one account see or touch the nodes of another', async () => {
    const alice = await login('alice@example.com', 'alice secret')
    const secret = await alice.root.upload({name: 'secret.txt', size: 6}, Buffer.from('secret')).complete
    const bob = await login('bob@example.com', 'bob secret')
    const [bobTree] = await rawApi(server, [{a: 'f', c: 1}], {sid: bob.sid}) as [{f: Array<{h: string; u: string}>}]
    expect(bobTree.f.every((n) => n.u === bob.user)).to.equal(true)
    expect(bobTree.f.map((n) => n.h)).to.not.include(secret.nodeId)
    const h = secret.nodeId!
    const bobRoot = bob.root.nodeId!
    const replies = await rawApi(server, [
      {a: 'g', g: 1, n: h}, {a: 'm', n: h, t: bobRoot}, {a: 'd', n: h}, {a: 'a', n: h, at: ATTRS}, {a: 'l', n: h},
      {a: 'p', t: h, n: [{h: 'xxxxxxxx', t: 1, a: ATTRS, k: randomBytes(16).toString('base64url')}]},
    ], {sid: bob.sid})
    expect(replies).to.deep.equal([-9, -9, -9, -9, -9, -9])
    expect((await secret.downloadBuffer({})).toString()).to.equal('secret')
  })

  it('answers with the reply shapes strict clients expect', async () => {
    const alice = await login('alice@example.com', 'alice secret')
    const dir = await alice.mkdir('shapes')
    // go-mega parses `[0]`, not `[{}]`, for m, d and a.
    expect(await rawApi(server, [{a: 'a', n: dir.nodeId, attr: ATTRS, key: 'ignored', i: 'x'}], {sid: alice.sid})).to.deep.equal([0])
    expect(await rawApi(server, [{a: 'm', n: dir.nodeId, t: alice.root.nodeId}], {sid: alice.sid})).to.deep.equal([0])
    expect(await rawApi(server, [{a: 'us0', user: 'alice@example.com'}])).to.satisfy((r: Array<{v: number; s: string}>) => r[0].v === 2 && r[0].s.length === 43)
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: alice.sid}) as [Record<string, unknown> & {f: Array<Record<string, unknown>>}]
    expect(tree.ok).to.be.an('array')
    expect(tree.sn).to.be.a('string')
    expect(tree.f.slice(0, 3).map((n) => n.t)).to.deep.equal([2, 3, 4])
    const index = new Map(tree.f.map((n, i) => [n.h, i]))
    for (const node of tree.f.slice(3)) expect(index.get(node.p as string)!, 'parents first').to.be.lessThan(index.get(node.h)!)
    expect(await rawApi(server, [{a: 'ug'}])).to.deep.equal([-15])
    expect(await rawApi(server, [{a: 'no-such-command'}], {sid: alice.sid})).to.deep.equal([-2])
    expect(await rawApi(server, [{a: 'ug'}], {sid: 'bogus'})).to.equal(-15)
    const notArray = await fetch(`${server.url}cs?id=1`, {method: 'POST', body: '{"a":"ug"}'})
    expect(await notArray.json()).to.equal(-2)
  })

  it('takes parallel upload chunks in any order, resumes an upload across a restart, and serves exact ranges', async () => {
    const alice = await login('alice@example.com', 'alice secret')
    const sid = alice.sid
    const root = alice.root.nodeId!
    // The server stores ciphertext without looking at it, so any bytes do.
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const post = async (url: string, body: Buffer) => {
      const response = await fetch(url, {method: 'POST', body})
      expect(response.status).to.equal(200)
      return Buffer.from(await response.arrayBuffer()).toString('latin1')
    }
    const [{p: uploadUrl}] = await rawApi(server, [{a: 'u', s: data.length, ssl: 0, v: 2, ms: 0, r: 0, e: 0}], {sid}) as [{p: string}]
    // Several MAC chunks in one POST, sent out of order and in parallel; a query string is ignored.
    const pieces: Array<[number, number]> = [[1024 * 1024, 2 * 1024 * 1024], [0, 1024 * 1024], [2 * 1024 * 1024, data.length]]
    const first = await Promise.all(pieces.slice(0, 2).map(([a, b]) => post(`${uploadUrl}/${a}?c=AAAA`, data.subarray(a, b))))
    expect(first, 'no token before the last byte').to.deep.equal(['', ''])
    await server.restart()
    const sameUrl = uploadUrl.replace(/^http:\/\/[^/]+\//, server.url) // same unless the port was taken meanwhile
    const token = await post(`${sameUrl}/${pieces[2][0]}`, data.subarray(pieces[2][0]))
    expect(token).to.match(/^[A-Za-z][\w-]{35}$/)
    expect(await post(`${sameUrl}/0`, data.subarray(0, 16)), 'a retried chunk gets the token again').to.equal(token)

    // go-mega passes the 36-char token as is; megajs and megatools send its b64 (48 chars). One use each.
    const key = () => randomBytes(32).toString('base64url')
    const [made] = await rawApi(server, [{a: 'p', t: root, n: [{h: token, t: 0, a: ATTRS, k: key()}]}], {sid}) as [{f: Array<{h: string; s: number}>}]
    expect(made.f[0].s).to.equal(data.length)
    expect(await rawApi(server, [{a: 'p', t: root, n: [{h: Buffer.from(token).toString('base64url'), t: 0, a: ATTRS, k: key()}]}], {sid}))
      .to.deep.equal([-9])
    const [{p: emptyUrl}] = await rawApi(server, [{a: 'u', s: 0}], {sid}) as [{p: string}]
    const emptyToken = await post(`${emptyUrl}/0`, Buffer.alloc(0))
    const [empty] = await rawApi(server, [{a: 'p', t: root, n: [{h: Buffer.from(emptyToken).toString('base64url'), t: 0, a: ATTRS, k: key(), fa: null}]}], {sid}) as [{f: Array<{s: number}>}]
    expect(empty.f[0].s).to.equal(0)

    const [{g, s}] = await rawApi(server, [{a: 'g', g: 1, n: made.f[0].h, ssl: 0}], {sid}) as [{g: string; s: number}]
    expect(s).to.equal(data.length)
    const get = await fetch(`${g}/0-99?x=1`)
    expect(get.status).to.equal(200)
    expect(Buffer.from(await get.arrayBuffer()).equals(data.subarray(0, 100))).to.equal(true)
    const last = await fetch(`${g}/${data.length - 1000}-${data.length - 1}`, {method: 'POST'})
    expect(last.status).to.equal(200)
    expect(Buffer.from(await last.arrayBuffer()).equals(data.subarray(data.length - 1000))).to.equal(true)
    const whole = await fetch(`${g}/0-${data.length - 1}`)
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).to.equal(true)
  })

  it('keeps a replaced file as a version in f2, never in f, unless told not to (vb:0)', async () => {
    const alice = await login('alice@example.com', 'alice secret')
    const sid = alice.sid
    const root = alice.root.nodeId!
    const upload = async (size: number): Promise<string> => {
      const [{p}] = await rawApi(server, [{a: 'u', s: size}], {sid}) as [{p: string}]
      return Buffer.from(await (await fetch(`${p}/0`, {method: 'POST', body: randomBytes(size)})).arrayBuffer()).toString('latin1')
    }
    const put = async (extra: Record<string, unknown>, flags: Record<string, unknown> = {}) => {
      const [reply] = await rawApi(server, [{a: 'p', t: root, ...flags, n: [{h: await upload(10), t: 0, a: ATTRS, k: randomBytes(32).toString('base64url'), ...extra}]}], {sid}) as [{f: Array<{h: string}>}]
      return reply.f[0].h
    }
    const v1 = await put({})
    const v2 = await put({ov: v1})
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid}) as [{f: Array<{h: string}>; f2: Array<{h: string; p: string}>}]
    expect(tree.f.map((n) => n.h)).to.include(v2).and.not.include(v1)
    expect(tree.f2.find((n) => n.h === v1)?.p).to.equal(v2)
    const v3 = await put({ov: v2}, {vb: 0})
    const [after] = await rawApi(server, [{a: 'f', c: 1}], {sid}) as [{f: Array<{h: string}>; f2: Array<{h: string}>}]
    expect(after.f.map((n) => n.h)).to.include(v3).and.not.include(v2)
    expect(after.f2.map((n) => n.h)).to.not.include(v2)
    expect(await rawApi(server, [{a: 'dv'}], {sid})).to.deep.equal([0])
    const [cleaned] = await rawApi(server, [{a: 'f', c: 1}], {sid}) as [{f2: unknown[]}]
    expect(cleaned.f2).to.deep.equal([])
  })

  it('injects EAGAIN faults that megajs retries through', async () => {
    const flaky = await startLocalServer({faults: 'eagain:3'})
    try {
      await addUser(flaky, 'erin@example.com', 'erin secret')
      const replies = [
        await rawApi(flaky, [{a: 'us0', user: 'erin@example.com'}]),
        await rawApi(flaky, [{a: 'us0', user: 'erin@example.com'}]),
        await rawApi(flaky, [{a: 'us0', user: 'erin@example.com'}]),
      ]
      expect(replies[2]).to.equal(-3)
      expect(replies.slice(0, 2).every((r) => Array.isArray(r))).to.equal(true)
      // Login (us0, us, ug, f) and a mkdir cross two injected -3s; megajs waits and resends.
      const storage = await login('erin@example.com', 'erin secret', flaky)
      const dir = await storage.mkdir('made-anyway')
      let tree: unknown
      while (!Array.isArray(tree)) tree = await rawApi(flaky, [{a: 'f', c: 1}], {sid: storage.sid})
      expect((tree as [{f: Array<{h: string}>}])[0].f.map((n) => n.h)).to.include(dir.nodeId)
    } finally {
      await flaky.stop()
    }
  })
})

describe('local server: a client that goes away mid-download', function () {
  const server = localServerForSuite([{email: 'quitter@example.com', password: 'pw'}])

  it('keeps serving', async function () {
    const storage = await new Storage({email: 'quitter@example.com', password: 'pw', gateway: server().url, keepalive: false}).ready
    const size = 24 * 1024 * 1024
    // megajs encrypts the buffer it is given in place: hand it a throwaway one.
    const file = await storage.upload({name: 'big.bin', size}, randomBytes(size)).complete
    const [reply] = await rawApi(server(), [{a: 'g', g: 1, n: file.nodeId}], {sid: (storage.api as unknown as {sid: string}).sid}) as Array<{g: string}>
    const url = reply.g
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController()
      const response = await fetch(`${url}/0-${size - 1}`, {signal: controller.signal})
      const reader = response.body!.getReader()
      await reader.read()
      controller.abort()
      await reader.cancel().catch(() => undefined)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    const [prelogin] = await rawApi(server(), [{a: 'us0', user: 'quitter@example.com'}]) as unknown[]
    expect(prelogin).to.deep.include({v: 2})
    storage.api.close()
  })
})
