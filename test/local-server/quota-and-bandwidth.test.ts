import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readdirSync} from 'node:fs'
import {type MutableFile, Storage} from 'megajs'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {localServerForSuite, rawApi, type TestServer} from '../helpers/local-server.js'

const KiB = 1024
const MiB = 1024 * KiB
/** The transfer window of the local server, in seconds: X-MEGA-Time-Left and `tl` never exceed it. */
const WINDOW_S = 6 * 3600

/** Logs in with megajs (an independent client) and returns it with its session id, for raw commands. */
async function megajsLogin(server: TestServer, email: string, password: string): Promise<{storage: Storage; sid: string}> {
  const storage = await new Storage({email, password, gateway: server.url, keepalive: false}).ready
  return {storage, sid: storage.sid}
}

/** Uploads `data` to the root with megajs (which encrypts the buffer it gets in place: it gets a copy). */
function upload(storage: Storage, name: string, data: Buffer): Promise<MutableFile> {
  return storage.upload({name, size: data.length}, Buffer.from(data)).complete
}

/** One command as the account of `sid`; its result. */
async function api(server: TestServer, command: Record<string, unknown>, sid?: string): Promise<any> {
  const reply = await rawApi(server, [command], sid ? {sid} : {})
  if (!Array.isArray(reply)) throw new Error(`request failed: ${JSON.stringify(reply)}`)
  return reply[0]
}

/** POSTs one upload chunk and returns the reply body. */
async function postChunk(url: string, offset: number, body: Buffer): Promise<Buffer> {
  const response = await fetch(`${url}/${offset}`, {method: 'POST', body})
  expect(response.status).to.equal(200)
  return Buffer.from(await response.arrayBuffer())
}

describe('local server: transfer quota', function () {
  this.timeout(120_000)
  // alice may download 1 MiB + 128 KiB within the window, bob 1.5 MiB.
  const getServer = localServerForSuite([
    {email: 'alice@example.com', password: 'alice pw', transferMax: MiB + 128 * KiB},
    {email: 'bob@example.com', password: 'bob pw', transferMax: MiB + 512 * KiB},
  ])
  const data = randomBytes(MiB)
  let alice: {storage: Storage; sid: string}
  let file: MutableFile

  before(async () => {
    alice = await megajsLogin(getServer(), 'alice@example.com', 'alice pw')
    file = await upload(alice.storage, 'one.bin', data)
  })

  it('reports mxfer and caxfer in uq, and counts exactly what a download moved', async () => {
    const server = getServer()
    const before = await api(server, {a: 'uq', strg: 1, xfer: 1, pro: 1}, alice.sid)
    expect(before).to.include({mxfer: MiB + 128 * KiB, caxfer: 0, csxfer: 0, srvratio: 0})
    expect(await alice.storage.getAccountInfo()).to.include({downloadBandwidthTotal: MiB + 128 * KiB, downloadBandwidthUsed: 0})
    // Uploads are not downloads: the 1 MiB just uploaded moved nothing of the transfer quota.
    expect(await api(server, {a: 'qbq', s: MiB}, alice.sid)).to.equal(0)

    const back = await file.downloadBuffer({})
    expect(back.equals(data)).to.equal(true)

    const after = await api(server, {a: 'uq', strg: 1, xfer: 1, pro: 1}, alice.sid)
    expect(after).to.include({mxfer: MiB + 128 * KiB, caxfer: MiB})
    expect(await alice.storage.getAccountInfo()).to.include({downloadBandwidthUsed: MiB})
  })

  it('answers qbq 2 for a download that does not fit and 0 for one that does', async () => {
    const server = getServer()
    // 128 KiB left.
    expect(await api(server, {a: 'qbq', s: MiB}, alice.sid)).to.equal(2)
    expect(await api(server, {a: 'qbq', s: 128 * KiB}, alice.sid)).to.equal(0)
    expect(await api(server, {a: 'qbq', s: 64 * KiB}, alice.sid)).to.equal(0)
    // The webclient's form: the queued files by handle, minus what of them it already has.
    expect(await api(server, {a: 'qbq', s: 0, n: [file.nodeId]}, alice.sid)).to.equal(2)
    expect(await api(server, {a: 'qbq', s: -(MiB - 64 * KiB), n: [file.nodeId]}, alice.sid)).to.equal(0)
    // Nobody's quota pays for a download without a session.
    expect(await api(server, {a: 'qbq', s: 10 * MiB})).to.equal(0)
  })

  it('answers HTTP 509 with X-MEGA-Time-Left to a data request that runs over the quota', async () => {
    const server = getServer()
    const reply = await api(server, {a: 'g', g: 1, n: file.nodeId}, alice.sid)
    expect(reply).to.not.have.property('e')
    expect(reply.g).to.be.a('string')
    const over = await fetch(`${reply.g}/0-${MiB - 1}`)
    expect(over.status).to.equal(509)
    const left = over.headers.get('x-mega-time-left')
    expect(left).to.match(/^\d+$/)
    expect(Number(left)).to.be.within(1, WINDOW_S)
    expect((await over.arrayBuffer()).byteLength).to.equal(0)
    // Refused, so not charged.
    expect(await api(server, {a: 'uq', xfer: 1}, alice.sid)).to.include({caxfer: MiB})

    // megajs reads the same answer as MEGA's (File.download handleMegaErrors).
    let message = ''
    await file.downloadBuffer({maxConnections: 1}).catch((error: Error) => (message = error.message))
    expect(message).to.match(/^Bandwidth limit reached: \d+ seconds until it resets$/)

    // What still fits is served: the last 128 KiB of the allowance.
    const fits = await fetch(`${reply.g}/0-${128 * KiB - 1}`)
    expect(fits.status).to.equal(200)
    expect((await fits.arrayBuffer()).byteLength).to.equal(128 * KiB)
    expect(await api(server, {a: 'uq', xfer: 1}, alice.sid)).to.include({caxfer: MiB + 128 * KiB})
  })

  it('refuses g with e -17 and tl, and answers qbq 3, once not even a first chunk fits', async () => {
    const server = getServer()
    const reply = await api(server, {a: 'g', g: 1, n: file.nodeId}, alice.sid)
    expect(reply).to.include({s: MiB, e: -17})
    expect(reply).to.not.have.property('g')
    expect(reply.at).to.be.a('string')
    expect(reply.tl).to.be.within(1, WINDOW_S)
    expect(await api(server, {a: 'qbq', s: 1}, alice.sid)).to.equal(3)
    // Without g:1 the file's size and attributes are still there (megajs reads a link's name that way).
    expect(await api(server, {a: 'g', n: file.nodeId}, alice.sid)).to.include({s: MiB})
  })

  it('mega get: refused before it starts (qbq), or with --ignore-quota-warn by g or by the data URL\'s 509, one line, exit 17, no file left', async function () {
    const server = getServer()
    const into = tempDir('mega-quota-get-')
    const expectQuotaFailure = async (user: MegaUser, args: string[], line: RegExp) => {
      const result = await user.run(['get', ...args, into])
      expect(result.code, result.stderr).to.equal(17)
      expect(result.stderr.trim().split('\n'), result.stderr).to.have.length(1)
      expect(result.stderr.trim()).to.match(line)
    }
    const notStarted = /^Transfer not started: proceding will exceed transfer quota\. Use --ignore-quota-warn to initiate nevertheless$/
    const exceeded = /^transfer quota exceeded \(EOVERQUOTA -17\); available again in \d+ s$/
    // alice: her quota is used up, `g` itself refuses.
    const aliceCli = new MegaUser(server.url)
    await aliceCli.login('alice@example.com', 'alice pw')
    await expectQuotaFailure(aliceCli, ['/one.bin'], notStarted)
    // bob: 1.5 MiB lets a 3 MiB download start (mega-shell fetches pieces of 1 MiB or more), not finish.
    const bob = await megajsLogin(server, 'bob@example.com', 'bob pw')
    await upload(bob.storage, 'big.bin', randomBytes(3 * MiB))
    const bobCli = new MegaUser(server.url)
    await bobCli.login('bob@example.com', 'bob pw')
    await expectQuotaFailure(bobCli, ['/big.bin'], notStarted)
    // Past MEGAcmd's check (qbq), the answers of `g` and of the data URL are what stop it.
    await expectQuotaFailure(aliceCli, ['--ignore-quota-warn', '/one.bin'], exceeded)
    await expectQuotaFailure(bobCli, ['--ignore-quota-warn', '/big.bin'], exceeded)
    expect((await api(server, {a: 'uq', xfer: 1}, bob.sid)).caxfer).to.be.within(1, MiB + 512 * KiB)
    expect(readdirSync(into)).to.deep.equal([])
  })

  it('sets both quotas with useradd --transfer-quota and --storage-quota, and keeps refusing uploads over storage', async () => {
    const server = getServer()
    const user = new MegaUser(server.url)
    const added = await user.run(['local-server:useradd', 'dave@example.com', 'dave pw', '--transfer-quota=1M', '--storage-quota=2097152',
      '--data', server.dataDir, '--json'])
    expect(added.code, added.stderr).to.equal(0)
    expect(JSON.parse(added.stdout)).to.include({transferQuota: MiB, storageQuota: 2 * MiB})
    const dave = await megajsLogin(server, 'dave@example.com', 'dave pw')
    expect(await api(server, {a: 'uq', strg: 1, xfer: 1}, dave.sid)).to.include({mxfer: MiB, caxfer: 0, mstrg: 2 * MiB})
    expect(await api(server, {a: 'u', s: 2 * MiB + 1}, dave.sid)).to.equal(-17)
    expect(await api(server, {a: 'u', s: 2 * MiB}, dave.sid)).to.have.property('p')

    const bad = await user.run(['local-server:useradd', 'erin@example.com', 'erin pw', '--transfer-quota=lots', '--data', server.dataDir])
    expect(bad.code).to.not.equal(0)
    expect(bad.stderr).to.include('Invalid --transfer-quota: lots')
  })

  it('keeps what was downloaded across a restart', async () => {
    const server = getServer()
    await server.restart()
    expect(await api(server, {a: 'uq', xfer: 1}, alice.sid)).to.include({caxfer: MiB + 128 * KiB})
  })
})

describe('local server: the slowbytes fault', function () {
  this.timeout(120_000)
  const RATE = 256 * KiB
  const getServer = localServerForSuite([{email: 'slow@example.com', password: 'slow pw'}], {faults: `slowbytes:${RATE}`})

  it('sends a download at no more than N bytes per second, and every byte of it', async () => {
    const {storage} = await megajsLogin(getServer(), 'slow@example.com', 'slow pw')
    const data = randomBytes(MiB)
    const file = await upload(storage, 'paced.bin', data)
    const started = performance.now()
    // One request for the whole file (maxConnections 1): the fault paces each request on its own.
    const back = await file.downloadBuffer({maxConnections: 1})
    const elapsed = performance.now() - started
    expect(back.equals(data)).to.equal(true)
    expect(elapsed).to.be.at.least((MiB / RATE) * 1000)
  })

  it('reads an upload chunk at no more than N bytes per second, and completes it', async () => {
    const server = getServer()
    const {sid} = await megajsLogin(server, 'slow@example.com', 'slow pw')
    const {p} = await api(server, {a: 'u', s: 512 * KiB}, sid)
    const started = performance.now()
    const token = await postChunk(p, 0, randomBytes(512 * KiB))
    const elapsed = performance.now() - started
    expect(token).to.have.length(36)
    expect(elapsed).to.be.at.least(((512 * KiB) / RATE) * 1000)
  })
})

describe('local server: the ulexpire fault', function () {
  this.timeout(120_000)
  const LIFETIME_MS = 4000
  const getServer = localServerForSuite([{email: 'expire@example.com', password: 'expire pw'}], {faults: `ulexpire:${LIFETIME_MS}`})

  it('answers -8 (EEXPIRED) to the chunks of an upload URL older than MS, and a new URL takes the file', async () => {
    const server = getServer()
    const {sid} = await megajsLogin(server, 'expire@example.com', 'expire pw')
    const first = randomBytes(16)
    const last = randomBytes(16)
    const started = performance.now()
    const {p} = await api(server, {a: 'u', s: 32}, sid)
    expect((await postChunk(p, 0, first)).toString()).to.equal('')
    // The same chunk again until the URL has expired: the server says when, the test only watches.
    let answer = ''
    while (answer !== '-8') {
      expect(performance.now() - started, 'the URL never expired').to.be.below(60_000)
      answer = (await postChunk(p, 0, first)).toString()
      if (answer !== '-8') await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(performance.now() - started).to.be.at.least(LIFETIME_MS)
    // A new chunk is refused too: the upload cannot complete on this URL.
    expect((await postChunk(p, 16, last)).toString()).to.equal('-8')

    // What a client does then: a new URL, the file from its start.
    const fresh = await api(server, {a: 'u', s: 32}, sid)
    expect((await postChunk(fresh.p, 0, first)).toString()).to.equal('')
    expect(await postChunk(fresh.p, 16, last)).to.have.length(36)
  })
})

describe('local server: partial uploads across restarts', function () {
  this.timeout(120_000)
  const getServer = localServerForSuite([{email: 'resume@example.com', password: 'resume pw'}])
  // One login for the suite (sessions outlive restarts). The nodes made below have made-up keys and attributes,
  // which a later megajs login could not decrypt.
  let sid: string
  let root: string
  before(async () => {
    const login = await megajsLogin(getServer(), 'resume@example.com', 'resume pw')
    sid = login.sid
    root = login.storage.root.nodeId!
  })

  /** Uploads `data` in two chunks with `between` (a restart or a crash) after the first, then checks the stored bytes. */
  async function uploadAcross(between: (server: TestServer) => Promise<void>): Promise<void> {
    const server = getServer()
    const data = randomBytes(200 * KiB)
    const [a, b] = [data.subarray(0, 128 * KiB), data.subarray(128 * KiB)]
    const {p} = await api(server, {a: 'u', s: data.length}, sid)
    const oldBase = server.url
    expect((await postChunk(p, 0, a)).toString()).to.equal('')
    await between(server)
    // The same path on the server as it runs now (its port may have changed).
    const url = p.replace(oldBase, server.url)
    // The first chunk again (a client that did not see its answer), then the second: the file completes.
    expect((await postChunk(url, 0, a)).toString()).to.equal('')
    const token = await postChunk(url, 128 * KiB, b)
    expect(token).to.have.length(36)

    // The node made from it serves exactly the bytes sent.
    const [made] = await rawApi(server, [{
      a: 'p', t: root, n: [{h: token.toString('base64url'), t: 0, a: 'AAAA', k: randomBytes(32).toString('base64url')}],
    }], {sid}) as [{f: Array<{h: string}>}]
    const {g} = await api(server, {a: 'g', g: 1, n: made.f[0].h}, sid)
    const stored = Buffer.from(await (await fetch(`${g}/0-${data.length - 1}`)).arrayBuffer())
    expect(stored.equals(data)).to.equal(true)
  }

  it('accepts a chunk sent again after a restart and completes the upload', async () => {
    await uploadAcross((server) => server.restart())
  })

  it('keeps the chunks received before a crash (kill -9)', async () => {
    await uploadAcross(async (server) => {
      await server.crash()
      await server.restart()
    })
  })

  it('keeps the received chunks without resending: the second chunk alone completes the file after a crash', async () => {
    const server = getServer()
    const data = randomBytes(200 * KiB)
    const {p} = await api(server, {a: 'u', s: data.length}, sid)
    const oldBase = server.url
    expect((await postChunk(p, 0, data.subarray(0, 128 * KiB))).toString()).to.equal('')
    await server.crash()
    await server.restart()
    expect(await postChunk(p.replace(oldBase, server.url), 128 * KiB, data.subarray(128 * KiB))).to.have.length(36)
  })
})
