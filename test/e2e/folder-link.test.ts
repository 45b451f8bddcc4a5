import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage, type MutableFile} from 'megajs'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'

const ALICE = {email: 'alice@example.com', password: 'alice secret'}

describe('folder links: login with a link, browse and download read-only', function () {
  const server = localServerForSuite([ALICE])
  let alice: MegaUser
  let storage: Storage
  let link: string
  let top: Buffer
  let deep: Buffer

  before(async function () {
    alice = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
    const local = tempDir('mega-folder-link-')
    mkdirSync(join(local, 'shared', 'inner'), {recursive: true})
    top = randomBytes(3000)
    deep = randomBytes(300_000)
    writeFileSync(join(local, 'shared', 'top.txt'), top)
    writeFileSync(join(local, 'shared', 'inner', 'deep.bin'), deep)
    expectOk(await alice.run(['put', join(local, 'shared'), '/']))
    // `mega export` does not exist yet: megajs exports the folder as the webclient does (s2 with the EXP
    // pseudo-user and every node key under the new share key, then `l`; mega-api.md §6.1).
    storage = await new Storage({email: ALICE.email, password: ALICE.password, gateway: server().url, keepalive: false}).ready
    const folder = storage.root.children!.find((c) => c.name === 'shared') as MutableFile
    link = await folder.link({})
    expect(link).to.match(/^https:\/\/mega\.nz\/folder\/[\w-]{8}#[\w-]{22}$/)
  })

  after(function () {
    storage?.api.close()
  })

  it('logs in with the link; ls, ls -R, ls -l, cd and pwd see the exported folder as /', async function () {
    const visitor = new MegaUser(server().url)
    expect(expectOk(await visitor.run(['login', link]))).to.equal('')
    expect(expectOk(await visitor.run(['ls']))).to.equal('inner\ntop.txt\n')
    expect(expectOk(await visitor.run(['ls', '-R']))).to.equal('inner\n\tdeep.bin\ntop.txt\n')
    expect(expectOk(await visitor.run(['ls', '/']))).to.equal('inner\ntop.txt\n')
    const rows = expectOk(await visitor.run(['ls', '-l'])).trimEnd().split('\n')
    expect(rows[0]).to.match(/^FLAGS VERS +SIZE +DATE +NAME$/)
    expect(rows[1]).to.match(/^d--- +- +- .* inner$/)
    expect(rows[2]).to.match(/^---- +1 +3000 .* top\.txt$/)
    expect(expectOk(await visitor.run(['pwd']))).to.equal('/\n')
    expectOk(await visitor.run(['cd', 'inner']))
    expect(expectOk(await visitor.run(['pwd']))).to.equal('/inner\n')
    expect(expectOk(await visitor.run(['ls']))).to.equal('deep.bin\n')
    // Nothing of the owner's tree above the exported folder is reachable: it has no parent, so `..` above it is
    // "No such file or directory" (53), as above MEGAcmd's root.
    expectFailure(await visitor.run(['cd', '../..']), 53, /^\.\.\/\.\.: No such file or directory$/)
    expect(expectOk(await visitor.run(['pwd']))).to.equal('/inner\n')
    expectOk(await visitor.run(['cd', '..']))
    expect(expectOk(await visitor.run(['pwd']))).to.equal('/\n')
    expectFailure(await visitor.run(['cd', '/nope']), 53, /No such file or directory/)
    const json = JSON.parse(expectOk(await visitor.run(['ls', '--json'])))
    expect(json.entries.map((e: {name: string}) => e.name)).to.deep.equal(['inner', 'top.txt'])
    expectOk(await visitor.run(['logout']))
  })

  it('downloads files and folders from the link, identical', async function () {
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    const dest = tempDir('mega-link-get-')
    expect(expectOk(await visitor.run(['get', '/top.txt', dest]))).to.equal(`Download finished: ${join(dest, 'top.txt')}\n`)
    expect(readFileSync(join(dest, 'top.txt')).equals(top)).to.equal(true)
    expectOk(await visitor.run(['cd', '/inner']))
    expectOk(await visitor.run(['get', 'deep.bin', join(dest, 'copy.bin')]))
    expect(readFileSync(join(dest, 'copy.bin')).equals(deep)).to.equal(true)
    const whole = tempDir('mega-link-get-all-')
    expectOk(await visitor.run(['get', '/', whole]))
    const [folder] = readdirSync(whole)
    expect(readFileSync(join(whole, folder, 'top.txt')).equals(top)).to.equal(true)
    expect(readFileSync(join(whole, folder, 'inner', 'deep.bin')).equals(deep)).to.equal(true)
    expectOk(await visitor.run(['logout']))
  })

  it('is not an account: whoami, session and contacts exit 57; write commands fail at once with 56', async function () {
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    expectFailure(await visitor.run(['whoami']), 57, /Not logged in.*folder link/)
    expectFailure(await visitor.run(['session']), 57, /Not logged in/)
    expectFailure(await visitor.run(['invite', ALICE.email]), 57, /Not logged in.*folder link/)
    expectFailure(await visitor.run(['users']), 57, /Not logged in.*folder link/)
    expectFailure(await visitor.run(['login', ALICE.email, ALICE.password]), 54, /Already logged in/)
    expectFailure(await visitor.run(['mkdir', '/new']), 56, /read-only folder link/)
    expectFailure(await visitor.run(['mkdir', '-p', '/inner/a/b']), 56, /read-only folder link/)
    expectFailure(await visitor.run(['rm', '/top.txt']), 56, /read-only folder link/)
    expectFailure(await visitor.run(['mv', '/top.txt', '/inner']), 56, /read-only folder link/)
    expectFailure(await visitor.run(['mv', '/top.txt', '/renamed.txt']), 56, /read-only folder link/)
    const local = tempDir('mega-link-put-')
    writeFileSync(join(local, 'up.txt'), 'data')
    expectFailure(await visitor.run(['put', join(local, 'up.txt'), '/']), 56, /read-only folder link/)
    // Nothing changed in the owner's folder.
    expect(expectOk(await alice.run(['ls', '-R', '/shared']))).to.equal('inner\n\tdeep.bin\ntop.txt\n')
    expect(expectOk(await visitor.run(['logout']))).to.equal('Logging out...\n')
    expectFailure(await visitor.run(['ls']), 57, /Not logged in/)
  })

  it('each command sees the folder as it is now (a folder link has no event channel to catch up from)', async function () {
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    const local = tempDir('mega-link-later-')
    writeFileSync(join(local, 'later.txt'), 'added later')
    expectOk(await alice.run(['put', join(local, 'later.txt'), '/shared']))
    expect(expectOk(await visitor.run(['ls']))).to.equal('inner\nlater.txt\ntop.txt\n')
    expectOk(await alice.run(['rm', '/shared/later.txt']))
    expect(expectOk(await visitor.run(['ls']))).to.equal('inner\ntop.txt\n')
    expectOk(await visitor.run(['logout']))
  })

  it('accepts the legacy #F!handle!key form', async function () {
    const [, handle, key] = /\/folder\/([\w-]{8})#([\w-]{22})$/.exec(link)!
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', `https://mega.nz/#F!${handle}!${key}`]))
    expect(expectOk(await visitor.run(['ls']))).to.equal('inner\ntop.txt\n')
    expectOk(await visitor.run(['logout']))
  })

  it('refuses a wrong key (14), a malformed link (55) and an unknown handle (9), leaving no login behind', async function () {
    const [, handle, key] = /\/folder\/([\w-]{8})#([\w-]{22})$/.exec(link)!
    const visitor = new MegaUser(server().url)
    const wrongKey = randomBytes(16).toString('base64url')
    expectFailure(await visitor.run(['login', `https://mega.nz/folder/${handle}#${wrongKey}`]), 14, /Failed to fetch nodes: Invalid key/)
    expectFailure(await visitor.run(['ls']), 57, /Not logged in/)
    expectFailure(await visitor.run(['login', `https://mega.nz/folder/${handle}#short`]), 55, /Invalid link/)
    const unknown = handle === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'
    expectFailure(await visitor.run(['login', `https://mega.nz/folder/${unknown}#${key}`]), 9, /Failed to fetch nodes: Not found/)
    expectFailure(await visitor.run(['whoami']), 57, /^Not logged in\.$/)
  })

  it('a removed link fails with 9, for a new login and for one already made', async function () {
    const visitor = new MegaUser(server().url)
    expectOk(await visitor.run(['login', link]))
    const folder = storage.root.children!.find((c) => c.name === 'shared') as MutableFile
    await folder.unshare()
    expectFailure(await visitor.run(['ls']), 9, /Failed to fetch nodes: Not found/)
    expectOk(await visitor.run(['logout']))
    const other = new MegaUser(server().url)
    expectFailure(await other.run(['login', link]), 9, /removed or never existed/)
    expectFailure(await other.run(['ls']), 57)
  })
})
