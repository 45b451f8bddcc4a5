import Database from 'better-sqlite3'
import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type MutableFile, Storage} from 'megajs'
import {makeContacts, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite, type TestServer} from '../helpers/local-server.js'

const ALICE = {email: 'alice@example.com', password: 'alice secret'}
const BOB = {email: 'bob@example.com', password: 'bob secret'}

/** The users a folder is shared with, as the server holds them ('EXP': its folder link). */
function sharedWith(server: TestServer, folder: string): string[] {
  const db = new Database(join(server.dataDir, 'server.db'), {readonly: true, fileMustExist: true})
  try {
    return db.prepare<[string], {user: string}>('SELECT user FROM shares WHERE node = ? ORDER BY user').all(folder).map((row) => row.user)
  } finally {
    db.close()
  }
}

/**
 * megajs 1.3.10 (the independent client) and shares made by mega-shell, both ways. megajs keeps the share keys
 * of the `ok` list and uses them for its folder links and for the keys of what it adds under a shared folder
 * (`cr`); its shareFolder() only ever shares with the link pseudo-user EXP, and it reads nothing of what others
 * share with it (it ignores `su`/`sk`, mega-api.md §4.2).
 */
describe('shares and megajs 1.3.10', function () {
  const server = localServerForSuite([ALICE, BOB])
  let alice: MegaUser
  let bob: MegaUser
  const storages: Storage[] = []
  const local = tempDir('mega-shares-megajs-')
  const ours = randomBytes(50_000)

  async function megajs(account: {email: string; password: string}): Promise<Storage> {
    const storage = await new Storage({email: account.email, password: account.password, gateway: server().url, keepalive: false}).ready
    storages.push(storage)
    return storage
  }

  function child(folder: MutableFile | undefined, name: string): MutableFile {
    const found = folder?.children?.find((c) => c.name === name) as MutableFile | undefined
    if (!found) throw new Error(`megajs sees no ${name}`)
    return found
  }

  before(async function () {
    alice = new MegaUser(server().url)
    bob = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
    await bob.login(BOB.email, BOB.password)
    await makeContacts({user: alice, email: ALICE.email}, {user: bob, email: BOB.email})
    writeFileSync(join(local, 'ours.bin'), ours)
    expectOk(await alice.run(['mkdir', '/both']))
    expectOk(await alice.run(['put', join(local, 'ours.bin'), '/both']))
    expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '--level=1', '/both']))
  })

  after(function () {
    for (const storage of storages) storage.api.close()
  })

  it('megajs, as the owner, takes the share key our client made: its folder link opens with it', async function () {
    const storage = await megajs(ALICE)
    const both = child(storage.root as MutableFile, 'both')
    expect(storage.shareKeys[both.nodeId!], 'the owner copy (ok) of the share key').to.be.an.instanceOf(Buffer)
    const link = await both.link({})
    expect(link.endsWith(`#${storage.shareKeys[both.nodeId!].toString('base64url')}`)).to.equal(true)
    // Knowing the share key, megajs makes the link with `l` alone (MutableFile.shareFolder → link with __folderKey):
    // the folder stays shared with bob only, and the link's readers open it with the same key.
    expect(sharedWith(server(), both.nodeId!)).to.deep.equal([bob.session().userHandle])
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    expect(expectOk(await visitor.run(['ls']))).to.equal('ours.bin\n')
    // The share goes on for bob.
    expect(expectOk(await bob.run(['ls', 'alice@example.com:both']))).to.equal('alice@example.com:both/: \nours.bin\n')
  })

  it('what megajs uploads into the shared folder opens for the sharee (its keys come with cr)', async function () {
    const storage = await megajs(ALICE)
    const data = randomBytes(30_000)
    // megajs encrypts the buffer it is given in place: it gets a copy.
    await child(storage.root as MutableFile, 'both').upload({name: 'from-megajs.bin', size: data.length}, Buffer.from(data)).complete
    const dest = tempDir('mega-shares-megajs-get-')
    expectOk(await bob.run(['get', 'alice@example.com:both/from-megajs.bin', dest]))
    expect(readFileSync(join(dest, 'from-megajs.bin'))).to.deep.equal(data)
  })

  it('what the sharee uploads, megajs as the owner downloads', async function () {
    const data = randomBytes(40_000)
    writeFileSync(join(local, 'from-bob.bin'), data)
    expectOk(await bob.run(['put', join(local, 'from-bob.bin'), 'alice@example.com:both']))
    const storage = await megajs(ALICE)
    const file = child(child(storage.root as MutableFile, 'both'), 'from-bob.bin')
    expect(await file.downloadBuffer({})).to.deep.equal(data)
  })

  it('a folder megajs exported keeps its key when our client shares it: the sharee opens what megajs put there', async function () {
    const storage = await megajs(ALICE)
    const exported = await (storage.root as MutableFile).mkdir('exported')
    const data = randomBytes(20_000)
    await exported.upload({name: 'inside.bin', size: data.length}, Buffer.from(data)).complete
    await exported.link({})
    expect(sharedWith(server(), exported.nodeId!)).to.deep.equal(['EXP'])
    expect(expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '/exported']))).to.equal('New share: /exported, shared with bob@example.com (read access)\n')
    const dest = tempDir('mega-shares-megajs-exported-')
    expectOk(await bob.run(['get', 'alice@example.com:exported/inside.bin', dest]))
    expect(readFileSync(join(dest, 'inside.bin'))).to.deep.equal(data)
  })

  it('megajs cannot share with users, nor read what is shared with it', async function () {
    // shareFolder() has no user to name: it sends s:[{u:"EXP"}] (mega-api.md §6.1), so it only makes folder links.
    const storage = await megajs(ALICE)
    const solo = await (storage.root as MutableFile).mkdir('solo')
    await solo.shareFolder({})
    expect(sharedWith(server(), solo.nodeId!)).to.deep.equal(['EXP'])
    // As the sharee it loads the shared folder's nodes but cannot open them, and they hang under nothing it knows.
    const bobs = await megajs(BOB)
    const both = bobs.files[(await alice.handles('/')).both] as MutableFile | undefined
    expect(both, 'the shared folder is in its f').to.not.equal(undefined)
    expect(both!.name).to.equal(null)
    expect((bobs.root as MutableFile).children ?? []).to.deep.equal([])
  })
})
