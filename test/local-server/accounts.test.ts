import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {Storage} from 'megajs'
import {
  aesEcbDecrypt, aesEcbEncrypt, b64decode, b64encode, checkTsid, decryptPrivateKey, deriveKeysV2, encodePublicKey,
  encryptPrivateKey, generateRsaKeyPair, hashedAuthKey, passwordKeyV1, rsaDecrypt, saltV2, userHashV1,
} from '@mega-shell/core'
import {currentStep, readOutbox, totpCode} from '../../plugins/local-server/dist/index.js'
import {addUser, rawApi, startLocalServer, type TestServer} from '../helpers/local-server.js'

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP'

/**
 * The account protocol of the local server, spoken raw as the SDK and megatools speak it (mega-api.md §3,
 * §6.4): both signup flows, sessions, password change, user attributes, contacts and their action packets,
 * and that one account's session id opens nothing of another's.
 */
describe('local server: accounts, attributes and contacts (raw API)', function () {
  this.timeout(120_000)
  let server: TestServer

  before(async () => {
    server = await startLocalServer()
    await addUser(server, 'alice@example.com', 'alice secret', {name: 'Alice Able'})
    await addUser(server, 'bob@example.com', 'bob secret', {name: 'Bob Baker'})
    await addUser(server, 'mfa@example.com', 'mfa secret', {totpSecret: TOTP_SECRET})
  })
  after(() => server?.stop())

  async function api<T = unknown>(command: object, query: Record<string, string> = {}): Promise<T> {
    const reply = await rawApi(server, [command], query)
    return (Array.isArray(reply) ? reply[0] : reply) as T
  }

  /** v2 password login as the SDK does it; returns the sid and master key. */
  async function loginV2(email: string, password: string, extra: object = {}): Promise<{sid: string; masterKey: Buffer} | number> {
    const pre = await api<{v: number; s: string} | number>({a: 'us0', user: email})
    if (typeof pre === 'number') return pre
    const {passwordKey, authKey} = deriveKeysV2(password, b64decode(pre.s))
    const reply = await api<{k: string; privk?: string; csid?: string; tsid?: string} | number>({a: 'us', user: email, uh: b64encode(authKey), ...extra})
    if (typeof reply === 'number') return reply
    const masterKey = aesEcbDecrypt(passwordKey, b64decode(reply.k))
    if (reply.tsid) return {sid: reply.tsid, masterKey}
    const sid = rsaDecrypt(decryptPrivateKey(reply.privk!, masterKey), b64decode(reply.csid!)).subarray(0, 43)
    return {sid: b64encode(sid), masterKey}
  }

  async function session(email: string, password: string): Promise<string> {
    const result = await loginV2(email, password)
    if (typeof result === 'number') throw new Error(`login of ${email} failed: ${result}`)
    return result.sid
  }

  /** An ephemeral account (mega-api.md §3.4): returns its handle, session (tsid) and master key. */
  async function ephemeral(passwordKey: Uint8Array = randomBytes(16)): Promise<{handle: string; sid: string; masterKey: Buffer}> {
    const masterKey = randomBytes(16)
    const ssc = randomBytes(16)
    const handle = await api<string>({a: 'up', k: b64encode(aesEcbEncrypt(passwordKey, masterKey)), ts: b64encode(Buffer.concat([ssc, aesEcbEncrypt(masterKey, ssc)]))})
    expect(handle).to.be.a('string')
    const resumed = await api<{tsid: string; k: string}>({a: 'us', user: handle})
    expect(checkTsid(resumed.tsid, masterKey), 'the tsid proves the master key').to.equal(true)
    expect(aesEcbDecrypt(passwordKey, b64decode(resumed.k)).equals(masterKey)).to.equal(true)
    return {handle, sid: resumed.tsid, masterKey}
  }

  function lastLink(email: string): string {
    const link = readOutbox(server.dataDir, email).at(-1)?.link
    if (!link) throw new Error(`no mail with a link to ${email}`)
    return link
  }

  const b64 = (text: string) => Buffer.from(text).toString('base64url')

  it('signs up with the v2 flow: ephemeral account, link by mail, unconfirmed login refused, confirm, key pair', async () => {
    const email = 'carol@example.com'
    const eph = await ephemeral()
    expect(await api({a: 'up2', firstname: b64('Carol'), lastname: b64('Cole')}, {sid: eph.sid})).to.have.keys('firstname', 'lastname')
    const crv = randomBytes(16)
    const {passwordKey, authKey} = deriveKeysV2('carol secret', saltV2(crv))
    const signup = {a: 'uc2', n: b64('Carol Cole'), m: b64(email), crv: b64encode(crv), hak: b64encode(hashedAuthKey(authKey)), k: b64encode(aesEcbEncrypt(passwordKey, eph.masterKey)), v: 2}
    expect(await api(signup, {sid: eph.sid})).to.equal(0)
    expect(await api({...signup, m: b64('alice@example.com')}, {sid: eph.sid}), 'a taken email').to.equal(-12)
    expect(await api({a: 'sml'}, {sid: eph.sid})).to.equal(0)

    const link = lastLink(email)
    const code = link.slice(link.indexOf('#confirm') + '#confirm'.length)
    const decoded = b64decode(code)
    expect(decoded.subarray(0, 13).toString()).to.equal('ConfirmCodeV2')
    expect(decoded.subarray(28, -8).toString()).to.equal(`${email}\tCarol Cole`)

    expect(await loginV2(email, 'carol secret'), 'right password, not confirmed').to.equal(-13)
    expect(await loginV2(email, 'wrong'), 'wrong password').to.equal(-9)
    // Flip a bit of the decoded bytes: changing the last b64 character may only touch padding bits.
    const altered = Buffer.from(decoded)
    altered[altered.length - 1] ^= 1
    expect(await api({a: 'ud2', c: b64encode(altered)}), 'altered code').to.equal(-9)
    expect(await api({a: 'ud2', c: code})).to.deep.equal([b64(email), b64('Carol Cole'), eph.handle, 2])
    expect(await api({a: 'ud2', c: code}), 'a used code').to.equal(-9)
    expect(await api({a: 'us', user: eph.handle}), 'no resumption by handle once confirmed').to.equal(-9)

    const first = await loginV2(email, 'carol secret')
    if (typeof first === 'number') throw new Error(`login failed: ${first}`)
    expect(first.masterKey.equals(eph.masterKey)).to.equal(true)
    expect(checkTsid(first.sid, eph.masterKey), 'no key pair yet: a tsid').to.equal(true)
    const user = await api<{c: number; email: string; name: string; pubk?: string}>({a: 'ug'}, {sid: first.sid})
    expect(user).to.include({c: 1, email, name: 'Carol Cole'})
    expect(user.pubk).to.equal(undefined)
    const {publicKey, privateKey} = generateRsaKeyPair()
    const keys = {a: 'up', pubk: encodePublicKey(publicKey), privk: encryptPrivateKey(privateKey, eph.masterKey)}
    expect(await api(keys, {sid: first.sid})).to.equal(eph.handle)
    expect(await api(keys, {sid: first.sid}), 'only once').to.equal(-12)

    const storage = await new Storage({email, password: 'carol secret', gateway: server.url, keepalive: false}).ready
    expect(storage.name).to.equal('Carol Cole')
    await storage.api.close()
  })

  it('signs up with the v1 flow megatools uses: uc, ud, up {c, uh}, then a normal login', async () => {
    const email = 'dave@example.com'
    const passwordKey = passwordKeyV1('dave secret')
    const eph = await ephemeral(passwordKey)
    const challenge = randomBytes(16)
    const c = aesEcbEncrypt(passwordKey, Buffer.concat([eph.masterKey, challenge]))
    expect(await api({a: 'uc', c: b64encode(c), n: b64('Dave Dunn'), m: b64(email)}, {sid: eph.sid})).to.equal(0)
    expect(await api({a: 'us0', user: email})).to.deep.equal({v: 1})

    const link = lastLink(email)
    const code = link.slice(link.indexOf('#confirm') + '#confirm'.length)
    const [m, n, handle, encryptedKey, encryptedChallenge] = await api<string[]>({a: 'ud', c: code})
    expect([b64decode(m).toString(), b64decode(n).toString(), handle]).to.deep.equal([email, 'Dave Dunn', eph.handle])
    expect(aesEcbDecrypt(passwordKey, b64decode(encryptedKey)).equals(eph.masterKey)).to.equal(true)
    expect(aesEcbDecrypt(passwordKey, b64decode(encryptedChallenge)).equals(challenge)).to.equal(true)
    const uh = userHashV1(email, passwordKey)
    expect(await api({a: 'up', c: code, uh}, {sid: eph.sid})).to.equal(eph.handle)

    const login = await api<{tsid: string; k: string}>({a: 'us', user: email, uh})
    expect(checkTsid(login.tsid, eph.masterKey)).to.equal(true)
    const {publicKey, privateKey} = generateRsaKeyPair()
    expect(await api({a: 'up', pubk: encodePublicKey(publicKey), privk: encryptPrivateKey(privateKey, eph.masterKey)}, {sid: login.tsid})).to.equal(eph.handle)
    const storage = await new Storage({email, password: 'dave secret', gateway: server.url, keepalive: false}).ready
    expect(storage.user).to.equal(eph.handle)
    await storage.api.close()
  })

  it('lists and kills sessions, and a password change leaves only the new password working', async () => {
    const one = await session('alice@example.com', 'alice secret')
    const two = await session('alice@example.com', 'alice secret')
    const list = await api<unknown[][]>({a: 'usl', x: 1, d: 1}, {sid: one})
    const mine = list.filter((s) => s[7] === 1)
    expect(mine.length).to.be.at.least(2)
    expect(list.filter((s) => s[5] === 1)).to.have.length(1)
    const twoHandle = (await api<unknown[][]>({a: 'usl', x: 1, d: 1}, {sid: two})).find((s) => s[5] === 1)![6]
    expect(await api({a: 'usr', s: ['AAAAAAAAAAA']}, {sid: one}), 'unknown session').to.equal(-9)
    expect(await api({a: 'usr', s: [twoHandle]}, {sid: one})).to.equal(0)
    expect(await rawApi(server, [{a: 'ug'}], {sid: two}), 'a killed session').to.equal(-15)

    const kept = await session('alice@example.com', 'alice secret')
    const me = await api<{aav: number; aas: string; k: string}>({a: 'ug'}, {sid: one})
    const masterKey = aesEcbDecrypt(deriveKeysV2('alice secret', b64decode(me.aas)).passwordKey, b64decode(me.k))
    const crv = randomBytes(16)
    const next = deriveKeysV2('alice new', saltV2(crv))
    expect(await api({a: 'up', k: b64encode(aesEcbEncrypt(next.passwordKey, masterKey)), uh: b64encode(hashedAuthKey(next.authKey))}, {sid: one}), 'v2 needs crv').to.equal(-2)
    expect(await api({a: 'up', k: b64encode(aesEcbEncrypt(next.passwordKey, masterKey)), uh: b64encode(hashedAuthKey(next.authKey)), crv: b64encode(crv)}, {sid: one}))
      .to.be.a('string')
    expect(await loginV2('alice@example.com', 'alice secret')).to.equal(-9)
    const fresh = await loginV2('alice@example.com', 'alice new')
    expect(typeof fresh === 'object' && fresh.masterKey.equals(masterKey)).to.equal(true)
    expect(await api<{email: string}>({a: 'ug'}, {sid: kept}), 'other sessions stay valid').to.include({email: 'alice@example.com'})
    // Back to the suite's password for the next tests.
    const back = deriveKeysV2('alice secret', saltV2(crv))
    await api({a: 'up', k: b64encode(aesEcbEncrypt(back.passwordKey, masterKey)), uh: b64encode(hashedAuthKey(back.authKey)), crv: b64encode(crv)}, {sid: one})
  })

  it('asks a two-factor account for its code to change the password', async () => {
    const pre = await api<{s: string}>({a: 'us0', user: 'mfa@example.com'})
    const {authKey, passwordKey} = deriveKeysV2('mfa secret', b64decode(pre.s))
    expect(await api({a: 'us', user: 'mfa@example.com', uh: b64encode(authKey)})).to.equal(-26)
    const reply = await api<{k: string; privk: string; csid: string}>({a: 'us', user: 'mfa@example.com', uh: b64encode(authKey), mfa: totpCode(TOTP_SECRET, currentStep())})
    const masterKey = aesEcbDecrypt(passwordKey, b64decode(reply.k))
    const sid = b64encode(rsaDecrypt(decryptPrivateKey(reply.privk, masterKey), b64decode(reply.csid)).subarray(0, 43))
    const crv = randomBytes(16)
    const next = deriveKeysV2('mfa new', saltV2(crv))
    const change = {a: 'up', k: b64encode(aesEcbEncrypt(next.passwordKey, masterKey)), uh: b64encode(hashedAuthKey(next.authKey)), crv: b64encode(crv)}
    expect(await api(change, {sid})).to.equal(-26)
    expect(await api({...change, mfa: '000000'}, {sid})).to.equal(-5)
    expect(await loginV2('mfa@example.com', 'mfa new', {mfa: totpCode(TOTP_SECRET, currentStep())}), 'nothing changed').to.equal(-9)
  })

  it('shows attributes by scope: own everything, public to all, names to contacts only', async () => {
    const alice = await session('alice@example.com', 'alice secret')
    const bob = await session('bob@example.com', 'bob secret')
    const [aliceUser] = await rawApi(server, [{a: 'ug'}], {sid: alice}) as [{u: string}]
    expect(await api({a: 'up2', '^!prd': b64('1:0:0:0:0'), '+a': b64('none')}, {sid: alice})).to.have.keys('^!prd', '+a')
    const get = (ua: string, sid: string, u = aliceUser.u) => api<{av: string} | number>({a: 'uga', u, ua, v: 1}, {sid})
    expect(await get('firstname', alice)).to.have.property('av', b64('Alice'))
    expect(await get('^!prd', alice)).to.have.property('av', b64('1:0:0:0:0'))
    expect(await get('nonexistent', alice)).to.equal(-9)
    expect(await get('+a', bob), 'public').to.have.property('av', b64('none'))
    expect(await get('firstname', bob, 'alice@example.com'), 'not a contact yet').to.equal(-11)
    expect(await get('^!prd', bob), 'private').to.equal(-11)

    const sn = (await api<{sn: string}>({a: 'f', c: 1}, {sid: bob})).sn
    const invite = await api<{p: string; m: string}>({a: 'upc', u: 'bob@example.com', aa: 'a', msg: 'hi'}, {sid: alice})
    expect(invite).to.include({m: 'bob@example.com'})
    const packets = await fetch(`${server.url}sc?sn=${sn}&sid=${bob}`, {method: 'POST'}).then((r) => r.json()) as {a: Array<{a: string; p?: string; m?: string}>}
    expect(packets.a.find((p) => p.a === 'ipc')).to.include({p: invite.p, m: 'alice@example.com'})
    expect(await api({a: 'upca', p: invite.p, aa: 'a'}, {sid: alice}), 'only the invitee answers').to.equal(-9)
    expect(await api({a: 'upca', p: invite.p, aa: 'a'}, {sid: bob})).to.equal(0)
    expect(await get('firstname', bob), 'a contact reads names').to.have.property('av', b64('Alice'))
    expect(await get('^!prd', bob), 'but never private attributes').to.equal(-11)

    const bobTree = await api<{u: Array<{m: string; c: number}>}>({a: 'f', c: 1}, {sid: bob})
    expect(bobTree.u.find((u) => u.m === 'alice@example.com')).to.include({c: 1})
    expect(await api({a: 'ur2', u: 'alice@example.com', l: 0}, {sid: bob})).to.have.property('m', 'alice@example.com')
    expect(await get('firstname', bob), 'removed: names hidden again').to.equal(-11)
  })

  it('handles contact requests: errors, deny, ignore, cancel, early reminder', async () => {
    const alice = await session('alice@example.com', 'alice secret')
    const bob = await session('bob@example.com', 'bob secret')
    expect(await api({a: 'upc', u: 'alice@example.com', aa: 'a'}, {sid: alice}), 'yourself').to.equal(-2)
    expect(await api({a: 'upc', u: 'not-an-email', aa: 'a'}, {sid: alice})).to.equal(-2)
    expect(await api({a: 'upca', p: 'AAAAAAAAAAA', aa: 'a'}, {sid: bob})).to.equal(-9)
    expect(await api({a: 'upc', u: 'bob@example.com', aa: 'd'}, {sid: alice}), 'nothing to cancel').to.equal(-9)

    const first = await api<{p: string}>({a: 'upc', u: 'bob@example.com', aa: 'a'}, {sid: alice})
    expect(await api({a: 'upc', u: 'bob@example.com', aa: 'a'}, {sid: alice}), 'already invited').to.equal(-12)
    expect(await api({a: 'upc', u: 'bob@example.com', aa: 'r'}, {sid: alice}), 'reminder too early').to.equal(-11)
    expect(await api({a: 'upca', p: first.p, aa: 'd'}, {sid: bob})).to.equal(0)
    expect((await api<{opc: unknown[]}>({a: 'f', c: 1}, {sid: alice})).opc, 'denied: gone').to.deep.equal([])

    const second = await api<{p: string}>({a: 'upc', u: 'bob@example.com', aa: 'a'}, {sid: alice})
    expect(await api({a: 'upca', p: second.p, aa: 'i'}, {sid: bob})).to.equal(0)
    expect((await api<{ipc: unknown[]}>({a: 'f', c: 1}, {sid: bob})).ipc, 'ignored: not listed to bob').to.deep.equal([])
    expect((await api<{opc: Array<{p: string}>}>({a: 'f', c: 1}, {sid: alice})).opc.map((r) => r.p), 'alice is not told').to.deep.equal([second.p])
    expect(await api({a: 'upc', u: 'bob@example.com', aa: 'd'}, {sid: alice})).to.equal(0)
    expect((await api<{opc: unknown[]}>({a: 'f', c: 1}, {sid: alice})).opc).to.deep.equal([])

    await api({a: 'upc', u: 'nobody@example.com', aa: 'a', msg: 'join me'}, {sid: alice})
    expect(readOutbox(server.dataDir, 'nobody@example.com').at(-1)).to.include({kind: 'contact-request'})
  })

  it("never hands one account's sessions or data to another account's session", async () => {
    const alice = await session('alice@example.com', 'alice secret')
    const bob = await session('bob@example.com', 'bob secret')
    const aliceSessions = await api<unknown[][]>({a: 'usl', x: 1, d: 1}, {sid: alice})
    const bobSessions = await api<unknown[][]>({a: 'usl', x: 1, d: 1}, {sid: bob})
    const aliceHandles = aliceSessions.map((s) => s[6])
    expect(bobSessions.map((s) => s[6]).some((h) => aliceHandles.includes(h))).to.equal(false)
    expect(await api({a: 'usr', s: [aliceSessions.find((s) => s[5] === 1)![6]]}, {sid: bob}), "another account's session").to.equal(-9)
    expect(await api<{email: string}>({a: 'ug'}, {sid: alice})).to.include({email: 'alice@example.com'})
    const [aliceUser] = await rawApi(server, [{a: 'ug'}], {sid: alice}) as [{u: string}]
    expect(await api({a: 'uga', u: aliceUser.u, ua: '^!prd', v: 1}, {sid: bob})).to.equal(-11)
    expect(await api({a: 'up2', firstname: b64('Mallory')}, {sid: bob})).to.have.property('firstname')
    expect(await api({a: 'uga', u: aliceUser.u, ua: 'firstname', v: 1}, {sid: alice}), "bob's up2 wrote only bob's").to.have.property('av', b64('Alice'))
  })
})
