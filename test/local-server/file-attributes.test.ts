import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {aesEcbDecrypt, b64decode, b64encode, decryptPrivateKey, passwordProof, rsaDecrypt} from '@mega-shell/core'
import {addUser, localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'fa@example.com'
const PASSWORD = 'attributes'

interface Node {
  h: string
  t: number
  fa?: string
}

interface ScBatch {
  a?: Array<Record<string, unknown>>
}

/**
 * Thumbnails and previews on the local server (mega-api.md §4.8), in both dialects: `ufa` hands out the URL
 * that stores an attribute (reply: its 8-byte handle) or, with `fah`, the one that fetches attributes (reply:
 * handle ‖ uint32 LE length ‖ data each, meganz/sdk src/fileattributefetch.cpp); `p` and `pfa` attach them;
 * `f`, copies and the `fa` action packet carry them. The SDK dialect (v=3) answers `pfa` with
 * `["<st>","<fa>"]` (CommandAttachFA sets mSeqtagArray) and tags the packet with that st.
 */
describe('local server: file attributes (ufa, pfa, fa)', function () {
  this.timeout(60_000)
  const server = localServerForSuite([])
  let sid: string
  let root: string
  let sn: string

  async function cs(commands: unknown[], v3 = false): Promise<unknown[]> {
    const query = new URLSearchParams({id: randomBytes(5).toString('hex'), sid, ...(v3 ? {v: '3'} : {})})
    const response = await fetch(`${server().url}cs?${query}`, {method: 'POST', body: JSON.stringify(commands)})
    return await response.json() as unknown[]
  }

  async function post(url: string, body: Buffer): Promise<Buffer> {
    return Buffer.from(await (await fetch(url, {method: 'POST', body})).arrayBuffer())
  }

  /** Stores `size` bytes as an attribute; its handle in base64. */
  async function store(size: number, v3 = false): Promise<string> {
    const [{p}] = await cs([{a: 'ufa', s: size, ssl: 0, ...(v3 ? {v: 3} : {})}], v3) as [{p: string}]
    const handle = await post(p, randomBytes(size))
    expect(handle).to.have.length(8)
    return b64encode(handle)
  }

  /** A file node made the way every client makes one: `u`, the data POSTed, `p` with the completion token. */
  async function newFile(fa?: string): Promise<Node> {
    const [{p: url}] = await cs([{a: 'u', s: 16, ssl: 0, v: 2}]) as [{p: string}]
    const token = await post(`${url}/0`, randomBytes(16))
    const [{f}] = await cs([{a: 'p', t: root, n: [{h: b64encode(token), t: 0, a: b64encode(randomBytes(32)), k: b64encode(randomBytes(32)), ...(fa ? {fa} : {})}]}]) as [{f: Node[]}]
    return f[0]
  }

  before(async function () {
    await addUser(server(), EMAIL, PASSWORD)
    const base = server().url
    const call = async (command: object) => (await (await fetch(`${base}cs?id=1`, {method: 'POST', body: JSON.stringify([command])})).json() as unknown[])[0]
    const pre = await call({a: 'us0', user: EMAIL}) as {v: number; s: string}
    const {passwordKey, uh} = passwordProof(pre.v, pre.s, EMAIL, PASSWORD)
    const login = await call({a: 'us', user: EMAIL, uh}) as Record<string, string>
    const masterKey = aesEcbDecrypt(passwordKey, b64decode(login.k))
    sid = b64encode(rsaDecrypt(decryptPrivateKey(login.privk, masterKey), b64decode(login.csid)).subarray(0, 43))
    const [f] = await cs([{a: 'f', c: 1}]) as [{f: Node[]; sn: string}]
    root = f.f.find((n) => n.t === 2)!.h
    sn = f.sn
  })

  it('stores an attribute and serves it back framed as handle, uint32 LE length, data', async function () {
    const [{p}] = await cs([{a: 'ufa', s: 32, ssl: 0}]) as [{p: string}]
    const data = randomBytes(32)
    // megajs POSTs to <url>/0 or <url>/1, the SDK to the URL itself: both store.
    const handle = await post(`${p}/1`, data)
    const other = b64decode(await store(48))
    const [{p: get}] = await cs([{a: 'ufa', fah: b64encode(handle), ssl: 2, r: 1, v: 3}], true) as [{p: string}]
    const unknown = randomBytes(8)
    const reply = await post(get, Buffer.concat([handle, unknown, other]))
    expect(reply.subarray(0, 8).equals(handle)).to.equal(true)
    expect(reply.readUInt32LE(8)).to.equal(32)
    expect(reply.subarray(12, 44).equals(data)).to.equal(true)
    // An unknown handle is left out; the next attribute follows.
    expect(reply.subarray(44, 52).equals(other)).to.equal(true)
    expect(reply.readUInt32LE(52)).to.equal(48)
    expect(reply).to.have.length(44 + 12 + 48)
    // Not whole AES blocks: not an attribute.
    const [{p: bad}] = await cs([{a: 'ufa', s: 20, ssl: 0}]) as [{p: string}]
    expect((await post(bad, randomBytes(20))).toString()).to.equal('-2')
  })

  it('keeps the fa of p (with a numeric cluster) in f, and a copy keeps it', async function () {
    const thumbnail = await store(16)
    const preview = await store(64)
    const file = await newFile(`0*${thumbnail}/1*${preview}`)
    expect(file.fa).to.match(new RegExp(`^\\d+:0\\*${thumbnail}/\\d+:1\\*${preview}$`))
    const [{f: copies}] = await cs([{a: 'p', t: root, n: [{h: file.h, t: 0, a: b64encode(randomBytes(32)), k: b64encode(randomBytes(32))}]}]) as [{f: Node[]}]
    expect(copies[0].fa).to.equal(file.fa)
    const [{f: all}] = await cs([{a: 'f', c: 1}]) as [{f: Node[]}]
    expect(all.find((n) => n.h === file.h)!.fa).to.equal(file.fa)
  })

  it('pfa: the bare fa string and an untagged fa packet without v=3; ["<st>","<fa>"] and a tagged packet with it', async function () {
    const file = await newFile()
    const [legacy] = await cs([{a: 'pfa', n: file.h, fa: `0*${await store(16)}`}])
    expect(legacy).to.match(/^\d+:0\*[\w-]{11}$/)
    const preview = await store(32, true)
    const [[st, fa]] = await cs([{a: 'pfa', n: file.h, fa: `1*${preview}`, v: 3}], true) as [[string, string]]
    expect(st).to.be.a('string')
    expect(fa).to.equal(`${legacy as string}/${fa.split('/')[1]}`)
    expect(fa).to.match(new RegExp(`/\\d+:1\\*${preview}$`))

    const sdk = JSON.parse(await (await fetch(`${server().url}wsc?${new URLSearchParams({sn, sid})}`, {method: 'POST'})).text()) as ScBatch
    const tagged = sdk.a!.filter((p) => p.a === 'fa' && p.n === file.h)
    expect(tagged.map((p) => [p.fa, p.st])).to.deep.equal([[legacy, undefined], [fa, st]])
    const old = JSON.parse(await (await fetch(`${server().url}sc?${new URLSearchParams({sn, sid})}`, {method: 'POST'})).text()) as ScBatch
    expect(old.a!.filter((p) => p.a === 'fa' && p.n === file.h).map((p) => [p.fa, p.st])).to.deep.equal([[legacy, undefined], [fa, undefined]])
  })

  it('refuses pfa on a folder (EARGS) and on an unknown node (ENOENT)', async function () {
    const handle = await store(16)
    expect(await cs([{a: 'pfa', n: root, fa: `0*${handle}`}])).to.deep.equal([-2])
    expect(await cs([{a: 'pfa', n: 'AAAAAAAA', fa: `0*${handle}`}])).to.deep.equal([-9])
  })
})
