import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {setTimeout as delay} from 'node:timers/promises'
import {Storage, type MutableFile} from 'megajs'
import {addUser, rawApi, startLocalServer, type TestServer} from '../helpers/local-server.js'

/** megajs's bundled typings lose the EventEmitter methods (they import Deno's); the objects have them. */
function asEmitter(value: unknown): NodeJS.EventEmitter {
  return value as NodeJS.EventEmitter
}

interface ScReply {
  a?: Array<Record<string, unknown>>
  w?: string
  sn?: string
}

/** The `sc` channel: action packets, wait URLs that really block, and the error answers (mega-api.md §1.5). */
describe('local server: the sc event channel', function () {
  this.timeout(60_000)
  let server: TestServer

  before(async () => {
    // Wait URLs that block far longer than a test may run: a wait that ends must have been woken by the change or
    // the logout under test, never by its timeout (with the server's 40 s default these tests passed with the
    // wake-ups disabled, waiting the timeout out).
    server = await startLocalServer({scTimeoutMs: 10 * 60_000})
    await addUser(server, 'alice@example.com', 'alice secret')
  })
  after(() => server?.stop())

  function login(keepalive: boolean): Promise<Storage> {
    return new Storage({email: 'alice@example.com', password: 'alice secret', gateway: server.url, keepalive}).ready
  }

  async function poll(sn: string, sid: string): Promise<ScReply | number> {
    const response = await fetch(`${server.url}sc?${new URLSearchParams({sn, sid})}`, {method: 'POST'})
    return response.json() as Promise<ScReply | number>
  }

  /** A folder node with a random key and attribute blob: the server never looks inside either. */
  function rawFolder(): Record<string, unknown> {
    return {h: 'xxxxxxxx', t: 1, a: randomBytes(32).toString('base64url'), k: randomBytes(16).toString('base64url')}
  }

  it('pushes add, update, move and delete packets to a second megajs session', async () => {
    const writer = await login(false)
    const watcher = await login(true)
    try {
      const added = new Promise<MutableFile>((resolve) => watcher.once('add', resolve))
      const dir = await writer.mkdir('live')
      expect((await added).name).to.equal('live')

      const updated = new Promise<MutableFile>((resolve) => watcher.once('update', resolve))
      await dir.rename('live-renamed')
      expect((await updated).name).to.equal('live-renamed')

      const target = await writer.mkdir('target')
      await new Promise((resolve) => watcher.once('add', resolve))
      let deletedEarly = false
      watcher.once('delete', () => (deletedEarly = true))
      const moved = new Promise<MutableFile>((resolve) => watcher.once('move', resolve))
      await dir.moveTo(target)
      // `d` (m:1) and `t` arrive in one batch: megajs sees a move, not a deletion.
      expect((await moved).parent!.name).to.equal('target')
      expect(deletedEarly).to.equal(false)
      asEmitter(watcher).removeAllListeners('delete')

      const deleted = new Promise<{name: string | null}>((resolve) => watcher.once('delete', resolve))
      await target.delete(true)
      expect((await deleted).name).to.equal('target')
    } finally {
      // api.close() stops polling and keeps the session; Storage.close() would log out.
      asEmitter(watcher.api).on('error', () => {})
      watcher.api.close()
    }
  })

  it('blocks on the wait URL until the account changes, and copies the request id into the packet', async () => {
    const storage = await login(false)
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{f: Array<{h: string; t: number}>; sn: string}]
    expect(tree.sn).to.be.a('string')
    const first = await poll(tree.sn, storage.sid) as ScReply
    expect(first.sn).to.equal(tree.sn)
    expect(first.w).to.match(/^http:\/\//)
    expect(first).to.not.have.property('a')

    let woke = false
    const waiting = fetch(first.w!, {method: 'GET'}).then((response) => {
      woke = true
      return response.status
    })
    await delay(500)
    expect(woke, 'the wait URL answered with nothing new').to.equal(false)

    const root = tree.f.find((n) => n.t === 2)!.h
    const [created] = await rawApi(server, [{a: 'p', t: root, n: [rawFolder()], i: 'abcdefghij'}], {sid: storage.sid}) as [{f: Array<{h: string}>}]
    expect(await waiting).to.equal(200)

    const next = await poll(tree.sn, storage.sid) as ScReply
    expect(next).to.not.have.property('w')
    expect(next.sn).to.be.a('string').and.not.equal(tree.sn)
    const packet = next.a!.find((p) => p.a === 't')!
    expect(Object.keys(packet).slice(0, 2)).to.deep.equal(['a', 'i'])
    expect(packet.i).to.equal('abcdefghij')
    expect((packet.t as {f: Array<{h: string}>}).f[0].h).to.equal(created.f[0].h)

    const settled = await poll(next.sn!, storage.sid) as ScReply
    expect(settled.w).to.be.a('string')
    expect(settled.sn).to.equal(next.sn)
  })

  it('builds a subtree in one p request and announces its removal with a single d packet', async () => {
    const storage = await login(false)
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{f: Array<{h: string; t: number}>; sn: string}]
    const root = tree.f.find((n) => n.t === 2)!.h
    const [made] = await rawApi(server, [{a: 'p', t: root, n: [
      {...rawFolder(), h: 'parent01'}, {...rawFolder(), h: 'child001', p: 'parent01'}, {...rawFolder(), h: 'grandch1', p: 'child001'},
    ]}], {sid: storage.sid}) as [{f: Array<{h: string; p: string}>}]
    expect(made.f[1].p).to.equal(made.f[0].h)
    expect(made.f[2].p).to.equal(made.f[1].h)
    expect(await rawApi(server, [{a: 'd', n: made.f[0].h, i: 'delete0001'}], {sid: storage.sid})).to.deep.equal([0])
    const reply = await poll(tree.sn, storage.sid) as ScReply
    expect(reply.a!.map((p) => p.a)).to.deep.equal(['t', 'd'])
    expect(reply.a![1]).to.include({a: 'd', i: 'delete0001', n: made.f[0].h})
    const [after] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{f: Array<{h: string}>}]
    expect(after.f.map((n) => n.h)).to.not.include.members(made.f.map((n) => n.h))
  })

  it('answers the wait URL after the configured timeout when nothing happens', async () => {
    const quick = await startLocalServer({scTimeoutMs: 200})
    try {
      await addUser(quick, 'dave@example.com', 'dave secret')
      const storage = await new Storage({email: 'dave@example.com', password: 'dave secret', gateway: quick.url, keepalive: false}).ready
      const [tree] = await rawApi(quick, [{a: 'f', c: 1}], {sid: storage.sid}) as [{sn: string}]
      const reply = await (await fetch(`${quick.url}sc?${new URLSearchParams({sn: tree.sn, sid: storage.sid})}`, {method: 'POST'})).json() as ScReply
      const response = await fetch(reply.w!, {method: 'POST'})
      expect(response.status).to.equal(200)
    } finally {
      await quick.stop()
    }
  })

  it('answers -6 for an sn it cannot continue from and -15 once the session is gone', async () => {
    const storage = await login(false)
    expect(await poll('not-an-sn', storage.sid)).to.equal(-6)
    expect(await poll(Buffer.from('00000000ffffffff', 'hex').toString('base64url'), storage.sid)).to.equal(-6)
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{sn: string}]
    await storage.close() // `sml`: the session ends
    expect(await poll(tree.sn, storage.sid)).to.equal(-15)
    expect(await rawApi(server, [{a: 'ug'}], {sid: storage.sid})).to.equal(-15)
  })

  it('releases a blocked wait request when its session logs out', async () => {
    const storage = await login(false)
    const [tree] = await rawApi(server, [{a: 'f', c: 1}], {sid: storage.sid}) as [{sn: string}]
    const reply = await poll(tree.sn, storage.sid) as ScReply
    const waiting = fetch(reply.w!, {method: 'POST'})
    await delay(100)
    expect(await rawApi(server, [{a: 'sml'}], {sid: storage.sid})).to.deep.equal([0])
    expect((await waiting).status).to.equal(200)
    expect(await poll(tree.sn, storage.sid)).to.equal(-15)
  })
})
