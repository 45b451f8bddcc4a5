import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {request as httpRequest} from 'node:http'
import {aesEcbDecrypt, aesEcbEncrypt, b64decode, b64encode, decryptPrivateKey, decryptShareKey, encryptNodeKey, ownerShareKey, passwordProof, rsaDecrypt, type RsaPrivateKey, shareKeyForUser, decodePublicKey} from '@mega-shell/core'
import {addUser, rawApi, startLocalServer, type TestServer} from '../helpers/local-server.js'

const EMAIL = 'sdk@example.com'
const PASSWORD = 'sdk secret'

interface Reply {
  status: number
  /** The body exactly as sent. */
  text: string
  contentLength: string | undefined
}

interface Node {
  h: string
  p: string
  t: number
  i?: number
}

interface Packet extends Record<string, unknown> {
  a: string
}

interface ScBatch {
  a?: Packet[]
  w?: string
  sn?: string
  ir?: number
}

/** A session opened the way the SDK opens one: cs `v=3` and a session key `sek`. */
interface SdkSession {
  sid: string
  sek: string
  login: Record<string, unknown>
  masterKey: Buffer
  privateKey: RsaPrivateKey
}

/**
 * The official SDK's dialect of the protocol (sdk-dialect.md; what MEGAcmd needs, test/megacmd): `v=3` on `cs`
 * brings sequence tags (`st`) in replies and in the action packets they stand for, `wsc` and its long poll, the
 * session check, and the small commands the SDK sends around login. The same requests without `v=3` keep their
 * older answers, which megajs, megatools and mega-shell rely on (the other files of this folder).
 */
describe('local server: the SDK dialect (v=3)', function () {
  this.timeout(60_000)
  let server: TestServer

  before(async () => {
    server = await startLocalServer()
    await addUser(server, EMAIL, PASSWORD)
  })
  after(() => server?.stop())

  async function post(path: string, query: Record<string, string>, body = '', base = server.url): Promise<Reply> {
    const response = await fetch(`${base}${path}?${new URLSearchParams(query)}`, {method: 'POST', body})
    return {status: response.status, text: await response.text(), contentLength: response.headers.get('content-length') ?? undefined}
  }

  /** One `cs` batch; `v3` adds `v=3`. Returns the parsed reply and its exact text. */
  async function cs(commands: unknown[], options: {sid?: string; v3?: boolean; id?: string; base?: string} = {}): Promise<{json: unknown; text: string}> {
    const query: Record<string, string> = {id: options.id ?? randomBytes(5).toString('hex')}
    if (options.sid) query.sid = options.sid
    if (options.v3 !== false) query.v = '3'
    const reply = await post('cs', query, JSON.stringify(commands), options.base)
    expect(reply.status).to.equal(200)
    return {json: JSON.parse(reply.text), text: reply.text}
  }

  /** `us0` + `us` with a fresh `sek`, as MegaClient::login sends them; the sid comes from decrypting `csid`. */
  async function sdkLogin(base = server.url, email = EMAIL, password = PASSWORD): Promise<SdkSession> {
    const [pre] = (await cs([{a: 'us0', user: email}], {base})).json as [{v: number; s: string}]
    const {passwordKey, uh} = passwordProof(pre.v, pre.s, email, password)
    const sek = randomBytes(16).toString('base64url')
    const [login] = (await cs([{a: 'us', user: email, uh, sek, si: 'device'}], {base})).json as [Record<string, string>]
    const masterKey = aesEcbDecrypt(passwordKey, b64decode(login.k))
    const privateKey = decryptPrivateKey(login.privk, masterKey)
    const sid = rsaDecrypt(privateKey, b64decode(login.csid)).subarray(0, 43)
    return {sid: b64encode(sid), sek, login, masterKey, privateKey}
  }

  async function tree(sid: string, base = server.url): Promise<{root: string; sn: string}> {
    const [f] = (await cs([{a: 'f', c: 1, r: 1, ca: 1}], {sid, base})).json as [{f: Node[]; sn: string}]
    return {root: f.f.find((n) => n.t === 2)!.h, sn: f.sn}
  }

  function folder(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {h: 'xxxxxxxx', t: 1, a: randomBytes(32).toString('base64url'), k: randomBytes(16).toString('base64url'), ...extra}
  }

  async function wsc(sid: string, sn: string): Promise<ScBatch | number> {
    return JSON.parse((await post('wsc', {sn, sid})).text) as ScBatch | number
  }

  async function legacySc(sid: string, sn: string): Promise<ScBatch | number> {
    return JSON.parse((await post('sc', {sn, sid})).text) as ScBatch | number
  }

  it('returns the session key of a v3 password login, and only that one when the session is checked', async () => {
    const session = await sdkLogin()
    expect(session.login.sek).to.equal(session.sek)
    // The same login without v=3 stays as it was: no sek.
    const [pre] = (await cs([{a: 'us0', user: EMAIL}], {v3: false})).json as [{v: number; s: string}]
    const {uh} = passwordProof(pre.v, pre.s, EMAIL, PASSWORD)
    const [legacy] = (await cs([{a: 'us', user: EMAIL, uh, sek: randomBytes(16).toString('base64url')}], {v3: false})).json as [object]
    expect(legacy).to.not.have.property('sek')

    const {sn} = await tree(session.sid)
    const fresh = randomBytes(16).toString('base64url')
    const [check] = (await cs([{a: 'us', sek: fresh, sn, si: 'device'}], {sid: session.sid})).json as [Record<string, unknown>]
    expect(check.u).to.equal(session.login.u)
    expect(check.sek, 'the login sek, not the one this check sent').to.equal(session.sek)
    expect(check.privk).to.equal(session.login.privk)
    expect(check, 'an sn the log can continue from keeps the cache').to.not.have.property('sn')

    const future = Buffer.from('00000000ffffffff', 'hex').toString('base64url')
    const [stale] = (await cs([{a: 'us', sek: fresh, sn: future}], {sid: session.sid})).json as [Record<string, unknown>]
    expect(stale.sn, 'an sn the log cannot continue from rejects the cache').to.equal(0)

    const bogus = randomBytes(43).toString('base64url')
    expect((await cs([{a: 'us', sek: fresh}], {sid: bogus})).json).to.equal(-15)
  })

  it('answers p with ["<st>",{}] and delivers the t packet with that st and each node\'s index', async () => {
    const {sid} = await sdkLogin()
    const {root, sn} = await tree(sid)
    const {json} = await cs([{a: 'p', v: 4, t: root, sm: 1, n: [folder({h: 'parent01'}), folder({h: 'child001', p: 'parent01'})]}], {sid})
    const [[st, payload]] = json as [[string, object]]
    expect(st).to.be.a('string')
    expect(payload).to.deep.equal({})

    const batch = await wsc(sid, sn) as ScBatch
    const packet = batch.a!.find((p) => p.a === 't')!
    expect(Object.keys(packet).slice(0, 2)).to.deep.equal(['a', 'st'])
    expect(packet.st).to.equal(st)
    const nodes = (packet.t as {f: Node[]}).f
    expect(nodes.map((n) => n.i)).to.deep.equal([0, 1])
    expect(nodes[1].p).to.equal(nodes[0].h)
    expect(Object.keys(batch).at(-1), 'sn comes last').to.equal('sn')

    // A legacy reader of the same account gets the packet as before: no st, no indices.
    const legacy = await legacySc(sid, sn) as ScBatch
    const old = legacy.a!.find((p) => p.a === 't')!
    expect(old).to.not.have.property('st')
    expect((old.t as {f: Node[]}).f.map((n) => n.i)).to.deep.equal([undefined, undefined])

    // Without v=3, p still answers the created nodes.
    const [plain] = (await cs([{a: 'p', t: root, n: [folder()]}], {sid, v3: false})).json as [{f: Node[]}]
    expect(plain.f).to.have.length(1)
  })

  it('tags a move on its d packet, echoes the request id, and brings the subtree back in an untagged t', async () => {
    const {sid} = await sdkLogin()
    const {root, sn} = await tree(sid)
    await cs([{a: 'p', t: root, n: [folder({h: 'moveme01'}), folder({h: 'inside01', p: 'moveme01'}), folder({h: 'target01'})]}], {sid})
    const made = (await wsc(sid, sn) as ScBatch).a!.find((p) => p.a === 't')!.t as {f: Node[]}
    const [moving, inside, target] = made.f
    const {sn: before} = await tree(sid)
    const {json} = await cs([{a: 'm', i: 'abcdefghij', n: moving.h, t: target.h}], {sid})
    const [st] = json as [string]
    expect(st).to.be.a('string')

    const [d, t] = (await wsc(sid, before) as ScBatch).a!
    expect(Object.keys(d).slice(0, 3)).to.deep.equal(['a', 'i', 'st'])
    expect(d).to.include({a: 'd', i: 'abcdefghij', st, n: moving.h, m: 1})
    expect(Object.keys(t).slice(0, 2)).to.deep.equal(['a', 'i'])
    expect(t).to.not.have.property('st')
    expect((t.t as {f: Node[]}).f.map((n) => n.h)).to.deep.equal([moving.h, inside.h])
  })

  it('answers l with ["<st>","<ph>"] and a ph packet with that st', async () => {
    const {sid} = await sdkLogin()
    const {root, sn} = await tree(sid)
    await cs([{a: 'p', t: root, n: [folder()]}], {sid})
    const node = ((await wsc(sid, sn) as ScBatch).a![0].t as {f: Node[]}).f[0]
    const {sn: before} = await tree(sid)
    const [[st, ph]] = (await cs([{a: 'l', n: node.h}], {sid})).json as [[string, string]]
    expect(ph).to.match(/^[\w-]{8}$/)
    const [packet] = (await wsc(sid, before) as ScBatch).a!
    expect(packet).to.include({a: 'ph', st, h: node.h, ph, n: 1})
    expect(packet.ts).to.be.a('number')
    // Asked again: the same handle, and no packet to wait for, so no st.
    expect((await cs([{a: 'l', n: node.h}], {sid})).json).to.deep.equal([[0, ph]])
  })

  it('answers wsc at once, and its w URL long-polls until a new packet wakes it', async function () {
    // The long poll of this server lasts 30 s: only a wake-up by the new packet answers within this test's time.
    this.timeout(20_000)
    const {sid} = await sdkLogin()
    const {root, sn} = await tree(sid)
    const idle = await wsc(sid, sn) as ScBatch
    expect(idle).to.deep.equal({w: `${server.url}wsc/w`, sn})

    const waiting = post('wsc/w', {sn, sid})
    // A full round trip after the poll was sent: the server has it by then, so the change below comes after it.
    await cs([{a: 'ug'}], {sid})
    const {json} = await cs([{a: 'p', t: root, n: [folder()]}], {sid})
    const woke = JSON.parse((await waiting).text) as ScBatch
    expect(woke.a!.map((p) => p.st)).to.deep.equal([(json as [[string]])[0][0]])
    expect(woke.sn).to.not.equal(sn)

    expect(JSON.parse((await post('wsc/w', {sn: 'not-an-sn', sid})).text)).to.equal(-6)
    expect(JSON.parse((await post('wsc', {sn, sid: randomBytes(43).toString('base64url')})).text)).to.equal(-15)
  })

  it('ends an idle long poll with 0, exactly one byte with Content-Length 1', async () => {
    const quick = await startLocalServer({scTimeoutMs: 200})
    try {
      await addUser(quick, EMAIL, PASSWORD)
      const {sid} = await sdkLogin(quick.url)
      const {sn} = await tree(sid, quick.url)
      const reply = await post('wsc/w', {sn, sid}, '', quick.url)
      expect(reply).to.deep.equal({status: 200, text: '0', contentLength: '1'})
    } finally {
      await quick.stop()
    }
  })

  it('replays the first reply to a resent batch instead of running it again', async () => {
    const {sid} = await sdkLogin()
    const {root, sn} = await tree(sid)
    const batch = [{a: 'p', t: root, n: [folder()]}]
    const first = await cs(batch, {sid, id: 'resentbatch'})
    const again = await cs(batch, {sid, id: 'resentbatch'})
    expect(again.text).to.equal(first.text)
    const packets = (await wsc(sid, sn) as ScBatch).a!
    expect(packets.filter((p) => p.a === 't'), 'one folder made, not two').to.have.length(1)
  })

  it('gives ug its flags and every stored attribute as {av, v}, versioned by upv', async () => {
    const {sid} = await sdkLogin()
    const keys = randomBytes(64).toString('base64url')
    const [created] = (await cs([{a: 'upv', '^!keys': [keys], '+puEd255': [randomBytes(32).toString('base64url')]}], {sid})).json as [object]
    // No sc channel yet here, but the packet carries the tag all the same: ["<st>", {name: version}].
    const [st, versions] = created as [string, Record<string, string>]
    expect(st).to.be.a('string')
    const [ug] = (await cs([{a: 'ug', v: 1}], {sid})).json as [Record<string, unknown>]
    expect(ug.flags).to.deep.equal({nlfe: 1})
    expect(ug['^!keys']).to.deep.equal({av: keys, v: versions['^!keys']})
    expect(ug).to.have.property('+puEd255')
    const [legacyUg] = (await cs([{a: 'ug'}], {sid, v3: false})).json as [Record<string, unknown>]
    expect(legacyUg).to.not.have.property('flags')
    expect(legacyUg).to.not.have.property('^!keys')

    // A stale version changes nothing, not even the attribute whose version is right.
    const [stale] = (await cs([{a: 'upv', '+puEd255': ['AAAA', versions['+puEd255']], '^!keys': ['AAAA', 'wrong']}], {sid})).json as [number]
    expect(stale).to.equal(-8)
    const [after] = (await cs([{a: 'ug', v: 1}], {sid})).json as [Record<string, {av: string; v: string}>]
    expect(after['+puEd255'].v).to.equal(versions['+puEd255'])
    expect(after['^!keys'].av).to.equal(keys)
  })

  it('answers the commands around login the way the SDK can take them', async () => {
    const {sid} = await sdkLogin()
    const {json} = await cs([
      {a: 'gpsa'}, {a: 'utt'}, {a: 'utp'}, {a: 'pk'}, {a: 'stp'}, {a: 'ftz', utz: '', uo: '+0:00'}, {a: 'qbq', s: 10},
      {a: 'log', e: 99426, m: 'x'}, {a: 'uq', strg: 1, v: 2},
    ], {sid})
    const [gpsa, utt, utp, pk, stp, ftz, qbq, log, uq] = json as unknown[]
    expect([gpsa, utt, utp, pk, stp, qbq, log]).to.deep.equal([-9, [], [], -9, -9, 0, 0])
    expect(ftz).to.deep.equal({choices: {UTC: 0}, default: 'UTC'})
    expect(uq).to.have.property('usl', 0)
    const [legacyUq] = (await cs([{a: 'uq', strg: 1}], {sid, v3: false})).json as [object]
    expect(legacyUq).to.not.have.property('usl')

    expect(JSON.parse((await post('sc', {c: '50', sid})).text)).to.deep.equal({})
    // The lock check the SDK sends after 120 s without an answer: "1", nothing is still being worked on.
    expect((await post('cs', {sid, wlt: '1'})).text).to.equal('1')
  })

  it('acknowledges a v3 upload chunk with 0 and hands the token only to the chunk that completes the file', async () => {
    const {sid} = await sdkLogin()
    const [sdkUpload] = (await cs([{a: 'u', v: 3, s: 20}], {sid})).json as [{p: string}]
    const [legacyUpload] = (await cs([{a: 'u', s: 20}], {sid, v3: false})).json as [{p: string}]
    for (const [upload, ack] of [[sdkUpload, '0'], [legacyUpload, '']] as const) {
      const first = await fetch(`${upload.p}/0?d=AAAAAAAAAAAAAAAA`, {method: 'POST', body: randomBytes(10)})
      expect(await first.text()).to.equal(ack)
      const last = await fetch(`${upload.p}/10?d=AAAAAAAAAAAAAAAA`, {method: 'POST', body: randomBytes(10)})
      expect(Buffer.from(await last.arrayBuffer())).to.have.length(36)
    }
  })

  it('holds the reqstat stream open, idle, until the session ends', async () => {
    const {sid} = await sdkLogin()
    const first = new Promise<{chunk: Buffer; ended: Promise<void>}>((resolve, reject) => {
      const req = httpRequest(`${server.url}cs/rs?sid=${sid}`, {method: 'POST'}, (res) => {
        expect(res.statusCode).to.equal(200)
        const ended = new Promise<void>((done) => res.on('end', done))
        res.once('data', (chunk: Buffer) => {
          resolve({chunk, ended})
          res.resume()
        })
      })
      req.on('error', reject)
      req.end()
    })
    const {chunk, ended} = await first
    expect([...chunk]).to.deep.equal([0, 0])
    let finished = false
    void ended.then(() => (finished = true))
    await cs([{a: 'ug'}], {sid})
    expect(finished, 'the stream ended while the session lives').to.equal(false)
    expect((await cs([{a: 'sml'}], {sid})).json).to.deep.equal([0])
    await ended
    expect((await post('cs/rs', {sid})).status).to.equal(403)
  })

  /** Uploads 4 random bytes; returns the completion token `p` takes as `h`. */
  async function upload(sid: string): Promise<string> {
    const [u] = (await cs([{a: 'u', v: 3, s: 4}], {sid})).json as [{p: string}]
    const token = Buffer.from(await (await fetch(`${u.p}/0`, {method: 'POST', body: randomBytes(4)})).arrayBuffer())
    return token.toString('base64url')
  }

  function file(h: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {h, t: 0, a: randomBytes(32).toString('base64url'), k: randomBytes(32).toString('base64url'), ...extra}
  }

  /** New nodes under the root, in the legacy dialect (its reply lists them). */
  async function created(sid: string, nodes: Array<Record<string, unknown>>): Promise<Node[]> {
    const {root} = await tree(sid)
    const [reply] = (await cs([{a: 'p', t: root, n: nodes}], {sid, v3: false})).json as [{f: Node[]}]
    return reply.f
  }

  it('keeps a replaced file under its new version for SDK readers, and the others see it leave', async () => {
    const {sid} = await sdkLogin()
    const {root} = await tree(sid)
    const {sn: start} = await tree(sid)
    await cs([{a: 'p', t: root, n: [file(await upload(sid))]}], {sid})
    const first = ((await wsc(sid, start) as ScBatch).a![0].t as {f: Node[]}).f[0]
    const {sn: before} = await tree(sid)
    await cs([{a: 'p', t: root, n: [file(await upload(sid), {ov: first.h})]}], {sid})

    const sdk = (await wsc(sid, before) as ScBatch).a!
    expect(sdk.map((p) => p.a)).to.deep.equal(['t'])
    const [newer, older] = (sdk[0].t as {f: Node[]}).f
    expect(older).to.include({h: first.h, p: newer.h})
    const legacy = (await legacySc(sid, before) as ScBatch).a!
    expect(legacy.map((p) => p.a)).to.deep.equal(['t', 'd'])
    expect(legacy[1]).to.include({n: first.h})

    // Removing the current file but keeping its versions (v:1) puts the older one back in its place.
    const {sn: beforeDelete} = await tree(sid)
    await cs([{a: 'd', n: newer.h, v: 1}], {sid})
    const back = (await wsc(sid, beforeDelete) as ScBatch).a!
    expect(back.map((p) => p.a)).to.deep.equal(['d', 't'])
    expect((back[1].t as {f: Node[]}).f[0]).to.include({h: first.h, p: root})
  })

  it('copies a file with its versions in one p, as the SDK does: SDK readers get the versions, the others the copy', async () => {
    const {sid} = await sdkLogin()
    const {root} = await tree(sid)
    const upload = async (): Promise<string> => {
      const [u] = (await cs([{a: 'u', v: 3, s: 4}], {sid})).json as [{p: string}]
      return Buffer.from(await (await fetch(`${u.p}/0`, {method: 'POST', body: randomBytes(4)})).arrayBuffer()).toString('base64url')
    }
    const node = (h: string, extra: Record<string, unknown> = {}) =>
      ({h, t: 0, a: randomBytes(32).toString('base64url'), k: randomBytes(32).toString('base64url'), ...extra})
    const {sn: start} = await tree(sid)
    await cs([{a: 'p', t: root, n: [node(await upload())]}], {sid})
    const older = ((await wsc(sid, start) as ScBatch).a![0].t as {f: Node[]}).f[0]
    const {sn: beforeNewer} = await tree(sid)
    await cs([{a: 'p', t: root, n: [node(await upload(), {ov: older.h})]}], {sid})
    const current = ((await wsc(sid, beforeNewer) as ScBatch).a![0].t as {f: Node[]}).f[0]

    // MegaApiImpl::copyTreeFromOwnedNode: the file first, then its version naming the file as its parent.
    const {sn: beforeCopy} = await tree(sid)
    const [reply] = (await cs([{a: 'p', t: root, n: [node(current.h), node(older.h, {p: current.h})]}], {sid})).json as [unknown]
    expect(reply).to.not.be.a('number')
    const sdk = ((await wsc(sid, beforeCopy) as ScBatch).a![0].t as {f: Node[]}).f
    expect(sdk).to.have.length(2)
    expect(sdk[0]).to.include({p: root, i: 0})
    expect(sdk[1]).to.include({p: sdk[0].h, i: 1})
    const legacy = (await legacySc(sid, beforeCopy) as ScBatch).a!
    expect(legacy.map((p) => p.a)).to.deep.equal(['t'])
    expect((legacy[0].t as {f: Node[]}).f.map((n) => n.h)).to.deep.equal([sdk[0].h])
    const [fetched] = (await cs([{a: 'f', c: 1}], {sid, v3: false})).json as [{f: Node[]; f2: Node[]}]
    expect(fetched.f.map((n) => n.h)).to.include(sdk[0].h).and.not.include(sdk[1].h)
    expect(fetched.f2.find((n) => n.h === sdk[1].h)).to.include({p: sdk[0].h})
    // A file under a file is still refused when it is not a copy made in the same request.
    const [refused] = (await cs([{a: 'p', t: root, n: [node(await upload(), {p: current.h})]}], {sid})).json as [number]
    expect(refused).to.equal(-2)
  })

  it('gives links their expiry and a writable folder link its auth key, in both dialects, in l, f and ph packets', async () => {
    const {sid} = await sdkLogin()
    const [legacyFolder, sdkFolder, aFile] = await created(sid, [folder(), folder(), file(await upload(sid))])
    const ets = Math.floor(Date.now() / 1000) + 3600
    // Without v=3: the handle, or {ph, w} for a writable folder link (mega-api.md §6.1).
    const [writable] = (await cs([{a: 'l', n: legacyFolder.h, ets, w: '1'}], {sid, v3: false})).json as [{ph: string; w: string}]
    expect(writable.ph).to.match(/^[\w-]{8}$/)
    expect(writable.w).to.match(/^[\w-]{22}$/)
    // With v=3 the payload follows the command's sequence tag, which the ph packet carries (sdk-dialect.md §7.2).
    const {sn} = await tree(sid)
    const [[st, payload]] = (await cs([{a: 'l', n: sdkFolder.h, ets, w: '1'}], {sid})).json as [[string, {ph: string; w: string}]]
    expect(payload.w).to.match(/^[\w-]{22}$/)
    const [packet] = (await wsc(sid, sn) as ScBatch).a!
    expect(packet).to.include({a: 'ph', st, h: sdkFolder.h, ph: payload.ph, n: 1, ets, w: payload.w})
    expect(packet.ts).to.be.a('number')
    // Only a folder link can be writable.
    expect((await cs([{a: 'l', n: aFile.h, w: '1'}], {sid, v3: false})).json).to.deep.equal([-2])

    const [f] = (await cs([{a: 'f', c: 1}], {sid, v3: false})).json as [{ph: Array<Record<string, unknown>>}]
    expect(f.ph.find((l) => l.h === legacyFolder.h)).to.include({ph: writable.ph, ets, w: writable.w})
    // Asked again without ets or w, the link keeps its handle and becomes permanent and read-only (an update).
    const {sn: before} = await tree(sid)
    expect((await cs([{a: 'l', n: legacyFolder.h}], {sid, v3: false})).json).to.deep.equal([writable.ph])
    const [update] = (await legacySc(sid, before) as ScBatch).a!
    expect(update).to.include({a: 'ph', h: legacyFolder.h, ph: writable.ph, u: 1})
    expect(update).to.not.have.any.keys('ets', 'w')
  })

  it('answers EEXPIRED (-8) for an expired link: its file, its import, and every command of its folder', async () => {
    const {sid} = await sdkLogin()
    const [expiredFolder, aFile] = await created(sid, [folder(), file(await upload(sid))])
    const past = Math.floor(Date.now() / 1000) - 60
    const [[, filePh]] = (await cs([{a: 'l', n: aFile.h, ets: past}], {sid})).json as [[string, string]]
    const [[, folderPh]] = (await cs([{a: 'l', n: expiredFolder.h, ets: past}], {sid})).json as [[string, string]]
    expect(await rawApi(server, [{a: 'g', g: 1, p: filePh}])).to.deep.equal([-8])
    const {root} = await tree(sid)
    expect((await cs([{a: 'p', t: root, n: [{ph: filePh, t: 0, a: 'AAAA', k: randomBytes(32).toString('base64url')}]}], {sid, v3: false})).json).to.deep.equal([-8])
    for (const v3 of [false, true]) {
      expect(await rawApi(server, [{a: 'f', c: 1, r: 1}, {a: 'g', g: 1, n: expiredFolder.h}], {n: folderPh, ...(v3 ? {v: '3'} : {})})).to.deep.equal([-8, -8])
    }
  })

  it('gives a folder-link session an sn in the SDK dialect, and a channel that stays idle until the link goes', async () => {
    const quick = await startLocalServer({scTimeoutMs: 200})
    try {
      await addUser(quick, EMAIL, PASSWORD)
      const {sid} = await sdkLogin(quick.url)
      const {root} = await tree(sid, quick.url)
      const [made] = (await cs([{a: 'p', t: root, n: [folder()]}], {sid, v3: false, base: quick.url})).json as [{f: Node[]}]
      const exported = made.f[0].h
      const [[, ph]] = (await cs([{a: 'l', n: exported}], {sid, base: quick.url})).json as [[string, string]]
      // megajs would start polling sc on whatever API object loaded the link: without v=3 there is no sn.
      const [legacy] = await rawApi(quick, [{a: 'f', c: 1, r: 1}], {n: ph}) as [Record<string, unknown>]
      expect(legacy).to.not.have.property('sn')
      const [sdk] = await rawApi(quick, [{a: 'f', c: 1, r: 1, ca: 1}], {n: ph, v: '3'}) as [{sn: string; f: Node[]}]
      expect(sdk.f.map((n) => n.h)).to.deep.equal([exported])
      // The SDK polls a folder link's channel with n= and no sid (MegaClient::exec): nothing happens, it waits.
      expect(JSON.parse((await post('wsc', {sn: sdk.sn, n: ph}, '', quick.url)).text)).to.deep.equal({w: `${quick.url}wsc/w`, sn: sdk.sn})
      expect(await post('wsc/w', {sn: sdk.sn, n: ph}, '', quick.url)).to.deep.equal({status: 200, text: '0', contentLength: '1'})
      expect(JSON.parse((await post('wsc', {sn: sdk.sn, n: 'AAAAAAAA'}, '', quick.url)).text)).to.equal(-9)
      await cs([{a: 'l', n: exported, d: 1}], {sid, base: quick.url})
      expect(JSON.parse((await post('wsc/w', {sn: sdk.sn, n: ph}, '', quick.url)).text)).to.equal(-9)
    } finally {
      await quick.stop()
    }
  })

  it('reports a PRO account\'s level in uq: utype, and the plan the SDK reads it from', async () => {
    await addUser(server, 'pro@example.com', PASSWORD, {proLevel: 2})
    const pro = await sdkLogin(server.url, 'pro@example.com', PASSWORD)
    const [proQuota] = (await cs([{a: 'uq', pro: 1, v: 2}], {sid: pro.sid})).json as [Record<string, unknown>]
    expect(proQuota).to.deep.include({utype: 2, plans: [{al: 2}]})
    const free = await sdkLogin()
    const [freeQuota] = (await cs([{a: 'uq', pro: 1, v: 2}], {sid: free.sid})).json as [Record<string, unknown>]
    expect(freeQuota).to.include({utype: 0})
    expect(freeQuota).to.not.have.property('plans')
  })

  describe('shares with other users (s2, k, pk)', function () {
    const SHAREE = {email: 'sharee@example.com', password: 'sharee secret'}
    let owner: SdkSession
    let sharee: SdkSession
    let shareeHandle: string
    let ownerHandle: string

    before(async () => {
      await addUser(server, SHAREE.email, SHAREE.password)
      owner = await sdkLogin()
      sharee = await sdkLogin(server.url, SHAREE.email, SHAREE.password)
      ;[ownerHandle, shareeHandle] = [owner.login.u as string, sharee.login.u as string]
      const [[st, invitation]] = (await cs([{a: 'upc', u: SHAREE.email, aa: 'a'}], {sid: owner.sid})).json as [[string, {p: string}]]
      expect(st).to.be.a('string')
      expect((await cs([{a: 'upca', p: invitation.p, aa: 'a'}], {sid: sharee.sid})).json).to.be.an('array')
    })

    /** A folder of the owner holding one subfolder, keys and names made up (the server cannot tell). */
    async function ownerFolder(): Promise<{folder: string; inside: string; key: Buffer}> {
      const {root, sn} = await tree(owner.sid)
      const key = randomBytes(16)
      await cs([{a: 'p', t: root, n: [folder({h: 'folder01', k: encryptNodeKey(owner.masterKey, key)}), folder({h: 'inside01', p: 'folder01'})]}], {sid: owner.sid})
      const [made, inside] = ((await wsc(owner.sid, sn) as ScBatch).a!.find((p) => p.a === 't')!.t as {f: Node[]}).f
      return {folder: made.h, inside: inside.h, key}
    }

    it('s2 from the SDK (zero ok/ha, no key) answers an st its s2 packet carries; the sharee gets the tree, then the share', async () => {
      const {folder: shared, inside} = await ownerFolder()
      const {sn: ownerSn} = await tree(owner.sid)
      const {sn: shareeSn} = await tree(sharee.sid)
      const zero = Buffer.alloc(16).toString('base64url')
      const cr = [[shared], [shared, inside], [0, 0, randomBytes(16).toString('base64url'), 0, 1, randomBytes(16).toString('base64url')]]
      const [st] = (await cs([{a: 's2', n: shared, ok: zero, ha: zero, s: [{u: shareeHandle, r: 1}], cr}], {sid: owner.sid})).json as [string]
      expect(st).to.be.a('string')
      const [ownPacket] = (await wsc(owner.sid, ownerSn) as ScBatch).a!
      expect(Object.keys(ownPacket).slice(0, 2)).to.deep.equal(['a', 'st'])
      expect(ownPacket).to.include({a: 's2', st, n: shared, o: ownerHandle, u: shareeHandle, r: 1})

      const [t, share] = (await wsc(sharee.sid, shareeSn) as ScBatch).a!
      const [top, below] = (t.t as {f: Node[]}).f as Array<Node & Record<string, unknown>>
      expect(top).to.include({h: shared, su: ownerHandle, r: 1})
      expect(top).to.not.have.property('sk')
      expect(top.k).to.match(new RegExp(String.raw`^${shared}:[\w-]{22}$`))
      expect(below).to.include({h: inside, p: shared})
      expect(share).to.include({a: 's2', n: shared, o: ownerHandle, u: shareeHandle, r: 1})
      // Its `f` lists the folder with the share, and the owner among the users.
      const [f] = (await cs([{a: 'f', c: 1}], {sid: sharee.sid})).json as [{f: Array<Record<string, unknown>>; u: Array<{u: string}>}]
      expect(f.f.find((n) => n.h === shared)).to.include({su: ownerHandle, r: 1})
      expect(f.u.map((u) => u.u)).to.include(ownerHandle)
      // The owner's `f` lists the share.
      const [mine] = (await cs([{a: 'f', c: 1}], {sid: owner.sid})).json as [{s: Array<Record<string, unknown>>}]
      expect(mine.s).to.deep.include({h: shared, u: shareeHandle, r: 1, ts: ownPacket.ts})

      // Removing it (no r): an st for the owner, and the sharee's s2 has no r.
      const {sn: shareeBefore} = await tree(sharee.sid)
      const [removed] = (await cs([{a: 's2', n: shared, s: [{u: shareeHandle}]}], {sid: owner.sid})).json as [string]
      expect(removed).to.be.a('string')
      const [gone] = (await wsc(sharee.sid, shareeBefore) as ScBatch).a!
      expect(gone).to.deep.equal({a: 's2', st: removed, n: shared, o: ownerHandle, u: shareeHandle, ou: ownerHandle})
    })

    it('relays pending keys: pk {u,h,k} → a pk packet; pk lists them by sender until pk {d}', async () => {
      const {folder: shared} = await ownerFolder()
      const zero = Buffer.alloc(16).toString('base64url')
      await cs([{a: 's2', n: shared, ok: zero, ha: zero, s: [{u: shareeHandle, r: 0}]}], {sid: owner.sid})
      expect((await cs([{a: 'pk'}], {sid: sharee.sid})).json).to.deep.equal([-9])
      const {sn} = await tree(sharee.sid)
      const key = randomBytes(16).toString('base64url')
      expect((await cs([{a: 'pk', u: shareeHandle, h: shared, k: key}], {sid: owner.sid})).json).to.deep.equal([0])
      expect((await wsc(sharee.sid, sn) as ScBatch).a).to.deep.equal([{a: 'pk'}])
      const [pending] = (await cs([{a: 'pk'}], {sid: sharee.sid})).json as [Record<string, unknown>]
      expect(pending[ownerHandle]).to.deep.equal({[shared]: key})
      expect(pending.d).to.match(/^[\w-]{11}$/)
      expect((await cs([{a: 'pk', d: pending.d}], {sid: sharee.sid})).json).to.deep.equal([0])
      expect((await cs([{a: 'pk'}], {sid: sharee.sid})).json).to.deep.equal([-9])
      // Only the owner of the folder hands out its keys.
      expect((await cs([{a: 'pk', u: ownerHandle, h: shared, k: key}], {sid: sharee.sid})).json).to.deep.equal([-11])
    })

    it('without v=3: s2 with the sharee\'s RSA copy answers 0, sk carries it, and k sr replaces it', async () => {
      const {folder: shared, key: folderKey} = await ownerFolder()
      const shareKey = randomBytes(16)
      const pubk = decodePublicKey(((await cs([{a: 'uk', u: SHAREE.email}], {sid: owner.sid, v3: false})).json as [{pubk: string}])[0].pubk)
      const k = shareKeyForUser(pubk, shareKey)
      const cr = [[shared], [shared], [0, 0, b64encode(aesEcbEncrypt(shareKey, folderKey))]]
      const reply = (await cs([{a: 's2', n: shared, ...ownerShareKey(owner.masterKey, shared, shareKey), s: [{u: shareeHandle, r: 2, k}], cr}], {sid: owner.sid, v3: false})).json
      expect(reply).to.deep.equal([0])
      const [f] = (await cs([{a: 'f', c: 1}], {sid: sharee.sid, v3: false})).json as [{f: Array<Record<string, unknown>>}]
      const top = f.f.find((n) => n.h === shared)!
      expect(top).to.include({su: ownerHandle, sk: k, r: 2})
      expect(decryptShareKey(top.sk as string, {masterKey: sharee.masterKey, privateKey: () => sharee.privateKey})).to.deep.equal(shareKey)
      // Asked again with another key for the same folder: refused, the stored one in the reply.
      const other = ownerShareKey(owner.masterKey, shared, randomBytes(16))
      const [conflict] = (await cs([{a: 's2', n: shared, ...other, s: [{u: shareeHandle, r: 0}]}], {sid: owner.sid, v3: false})).json as [{ok: string}]
      expect(conflict.ok).to.equal(ownerShareKey(owner.masterKey, shared, shareKey).ok)

      const {sn} = await tree(sharee.sid)
      const rewritten = b64encode(aesEcbEncrypt(sharee.masterKey, shareKey))
      expect((await cs([{a: 'k', sr: [shared, shareeHandle, k]}], {sid: owner.sid, v3: false})).json).to.deep.equal([0])
      expect((await legacySc(sharee.sid, sn) as ScBatch).a).to.deep.equal([{a: 's2', n: shared, k}])
      // The sharee may store its own copy under its master key instead (SDK CommandShareKeyUpdate with its handle).
      expect((await cs([{a: 'k', sr: [shared, shareeHandle, rewritten]}], {sid: sharee.sid, v3: false})).json).to.deep.equal([0])
      const [again] = (await cs([{a: 'f', c: 1}], {sid: sharee.sid, v3: false})).json as [{f: Array<Record<string, unknown>>}]
      expect(again.f.find((n) => n.h === shared)).to.include({sk: rewritten})
      expect(decryptShareKey(rewritten, {masterKey: sharee.masterKey, privateKey: () => undefined})).to.deep.equal(shareKey)
    })
  })
})
