import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite, serverLinks, serverNodeCount} from '../helpers/local-server.js'

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'
const BOB = 'bob@example.com'
const RFC2822 = /\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/

/** The link of `export -a`'s first line: its fourth field, as the user guide's `awk '{print $4}'` takes it. */
function linkOf(stdout: string): string {
  const link = stdout.split('\n')[0].split(' ')[3]
  expect(link, stdout).to.match(/^https:\/\/mega\.nz\/(file|folder|#P!)/)
  return link
}

/**
 * `export` and `import` through the built binary against a real local server: alice (a PRO account) makes links,
 * bob (a free one) and strangers with no login use them. MEGAcmd's messages and exit codes (megacmd-reference.md
 * §6.5), compared line by line with MEGAcmd itself in test/megacmd/links-compat.test.ts.
 */
describe('export and import: public links of an account', function () {
  const server = localServerForSuite([{email: ALICE, password: PASSWORD, proLevel: 1}, {email: BOB, password: PASSWORD}])
  let alice: MegaUser
  let bob: MegaUser
  const content = {a: randomBytes(3000), b: randomBytes(300_000), notes: randomBytes(10)}

  before(async function () {
    alice = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    bob = new MegaUser(server().url)
    await bob.login(BOB, PASSWORD)
    const local = tempDir('mega-export-')
    mkdirSync(join(local, 'docs', 'deep'), {recursive: true})
    writeFileSync(join(local, 'docs', 'a.txt'), content.a)
    writeFileSync(join(local, 'docs', 'deep', 'b.bin'), content.b)
    writeFileSync(join(local, 'notes.txt'), content.notes)
    expectOk(await alice.run(['put', join(local, 'docs'), join(local, 'notes.txt'), '/']))
    // alice's first link accepts MEGA's copyright terms (-f); the next ones need no -f.
    expect(expectOk(await alice.run(['export', '-a', '-f', '/notes.txt']))).to.match(/^Exported \/notes\.txt : https:\/\/mega\.nz\/file\/[\w-]{8}#[\w-]{43}\n$/)
  })

  /** The handle of `name` in the folder `parent`, from `ls --json`. */
  async function handleOf(user: MegaUser, parent: string, name: string): Promise<string> {
    const {entries} = JSON.parse(expectOk(await user.run(['ls', '--json', parent]))) as {entries: Array<{name: string; handle: string}>}
    return entries.find((entry) => entry.name === name)!.handle
  }

  it('makes file and folder links that download without login, lists them with their expiry, and -d removes them', async () => {
    const fileOut = expectOk(await alice.run(['export', '-a', '/docs/a.txt', '--expire=10M']))
    const fileLink = linkOf(fileOut)
    expect(fileOut).to.match(new RegExp(`^Exported /docs/a\\.txt : https://mega\\.nz/file/[\\w-]{8}#[\\w-]{43} expires at ${RFC2822.source}\\n$`))
    const expires = / expires at (.*)\n$/.exec(fileOut)![1]
    const folderLink = linkOf(expectOk(await alice.run(['export', '-a', '/docs/deep'])))
    expect(folderLink).to.match(/^https:\/\/mega\.nz\/folder\/[\w-]{8}#[\w-]{22}$/)

    // The listing: children before their folder, each as `ls -aa` describes it; paths as the argument names them.
    const listed = [
      `/docs/deep (folder, shared as exported permanent folder link: ${folderLink})`,
      `/docs/a.txt (2.93 KB, shared as exported temporal file link: ${fileLink} expires at ${expires})`,
    ]
    expect(expectOk(await alice.run(['export', '/docs']))).to.equal(listed.join('\n') + '\n')
    expect(expectOk(await alice.run(['export'], {env: {MEGA_CWD: '/docs'}}))).to.equal(listed.map((l) => l.slice('/docs/'.length)).join('\n') + '\n')
    const json = JSON.parse(expectOk(await alice.run(['export', '/docs', '--json']))) as {listed: Array<{path: string; link: string; expires?: number; expired?: boolean}>}
    expect(json.listed.map((l) => [l.path, l.link, l.expired])).to.deep.equal([['/docs/deep', folderLink, undefined], ['/docs/a.txt', fileLink, false]])

    const stranger = new MegaUser(server().url)
    const dest = tempDir('mega-link-dest-')
    expect(expectOk(await stranger.run(['get', fileLink, dest]))).to.equal(`Download finished: ${join(dest, 'a.txt')}\n`)
    expect(readFileSync(join(dest, 'a.txt')).equals(content.a)).to.equal(true)
    expect(expectOk(await stranger.run(['get', folderLink, dest]))).to.equal(`Download finished: ${join(dest, 'deep')}\n`)
    expect(readFileSync(join(dest, 'deep', 'b.bin')).equals(content.b)).to.equal(true)

    expect(expectOk(await alice.run(['export', '-d', '/docs/a.txt', '/docs/deep']))).to.equal('Disabled export: /docs/a.txt\nDisabled export: /docs/deep\n')
    expect(serverLinks(server())).to.have.length(1)
    expectFailure(await stranger.run(['get', fileLink, dest]), 9, /^Failed to get public node: Not found$/)
    expectFailure(await stranger.run(['get', folderLink, dest]), 9, /^Failed to access folder link .*: Not found$/)
  })

  it('refuses what MEGAcmd refuses, with its messages and codes, and changes no link', async () => {
    expect(expectOk(await alice.run(['export', '-a', '/docs/deep']))).to.match(/^Exported \/docs\/deep : /)
    const before = serverLinks(server())
    expectFailure(await alice.run(['export', '--expire=10M', '/docs/a.txt']), 51, /^Option can only be used when adding an export \(with -a\)$/)
    for (const flag of ['-f', '--writable', '--password=x']) {
      expectFailure(await alice.run(['export', flag, '/docs/a.txt']), 51, /^Option can only be used when adding an export \(with -a\)$/)
    }
    expectFailure(await alice.run(['export', '-a', '--password=', '/docs/a.txt']), 51, /^Password cannot be empty$/)
    expectFailure(await alice.run(['export', '-a', '--expire=10X', '/docs/a.txt']), 51, /^Invalid time 10X$/)
    expectFailure(await alice.run(['export', '-a', '/nothere']), 53, /^Node not found: \/nothere$/)
    expectFailure(await alice.run(['export', '-a', '/zz*']), 53, /^Nodes not found: \/zz\*$/)
    expectFailure(await alice.run(['export', '-a', '/']), 56, /^Failed to export node \/: The root folder cannot be exported$/)
    expectFailure(await alice.run(['export', '-d', '/docs/a.txt']), 54, /^Could not disable export: node not exported\.$/)
    // Already exported (64): a literal path is named <path>, one MEGAcmd takes for a pattern ('.') "Node <path>".
    expectFailure(await alice.run(['export', '-a', '/docs/deep']), 64,
      /^<\/docs\/deep> is already exported\. Use -d to delete it if you want to change its parameters\. Note: the new link may differ$/)
    expectFailure(await alice.run(['export', '-a', '/notes.txt']), 64, /^Node \/notes\.txt is already exported\. /)
    // Nothing exported below: said on stdout, exit 53.
    for (const [path, said] of [['/docs/a.txt', '/docs/a.txt is not exported. Use -a to export it'], ['/docs/deep/b.bin', '/docs/deep/b.bin is not exported. Use -a to export it']]) {
      const result = await alice.run(['export', path])
      expect([result.code, result.stdout, result.stderr]).to.deep.equal([53, `${said}\n`, ''])
    }
    expect(serverLinks(server())).to.deep.equal(before)
    // Several paths: each is done or reported, the exit code is the last failure's.
    const some = await alice.run(['export', '-a', '/nothere', '/docs/a.txt'])
    expect([some.code, some.stderr]).to.deep.equal([53, 'Node not found: /nothere\n'])
    expect(some.stdout).to.match(/^Exported \/docs\/a\.txt : /)
    expectOk(await alice.run(['export', '-d', '/docs/a.txt', '/docs/deep']))
  })

  it('makes a writable folder link with its AuthToken, which the listing repeats; a file cannot have one', async () => {
    const out = expectOk(await alice.run(['export', '-a', '--writable', '/docs/deep']))
    const [first, second] = out.split('\n')
    const link = linkOf(out)
    const token = /^ {10}AuthToken = (\S+)$/.exec(second)![1]
    expect(first).to.equal(`Exported /docs/deep : ${link}`)
    const auth = serverLinks(server()).find((l) => l.auth !== null)!.auth
    expect(token).to.equal(`${link.slice('https://mega.nz/folder/'.length)}:${auth}`)
    expect(expectOk(await alice.run(['export', '/docs/deep']))).to.equal(`/docs/deep (folder, shared as exported permanent folder link: ${link} AuthToken=${token})\n`)
    expectFailure(await alice.run(['export', '-a', '--writable', '/docs/a.txt']), 2, /^Failed to export node \/docs\/a\.txt: Invalid argument$/)
    expectOk(await alice.run(['export', '-d', '/docs/deep']))
  })

  it('protects links with a password on a PRO account: get needs it, a wrong one is 56 and writes nothing', async () => {
    const fileLink = linkOf(expectOk(await alice.run(['export', '-a', '--password=s3cret word', '/docs/deep/b.bin'])))
    const folderLink = linkOf(expectOk(await alice.run(['export', '-a', '--password=other', '/docs'])))
    for (const link of [fileLink, folderLink]) expect(link).to.match(/^https:\/\/mega\.nz\/#P![\w-]+$/)
    const stranger = new MegaUser(server().url)
    const dest = tempDir('mega-protected-')
    expectFailure(await stranger.run(['get', fileLink, dest, '--password=wrong']), 56, /^Invalid password$/)
    expectFailure(await stranger.run(['get', fileLink, dest]), 51, /^Need a password to decrypt provided link \(--password=PASSWORD\)$/)
    expect(readdirSync(dest)).to.deep.equal([])
    expectFailure(await stranger.run(['cat', fileLink]), 51, /^Cannot cat a password-protected link: download it with get --password=PASSWORD$/)
    expectOk(await stranger.run(['get', fileLink, dest, '--password=s3cret word']))
    expect(readFileSync(join(dest, 'b.bin')).equals(content.b)).to.equal(true)
    expectOk(await stranger.run(['get', folderLink, dest, '--password=other']))
    expect(readFileSync(join(dest, 'docs', 'deep', 'b.bin')).equals(content.b)).to.equal(true)
    expect(readFileSync(join(dest, 'docs', 'a.txt')).equals(content.a)).to.equal(true)
    expectOk(await alice.run(['export', '-d', '/docs/deep/b.bin', '/docs']))
  })

  it('asks a free account\'s first link to accept the copyright terms (-f), and shows it the plain link for a password', async () => {
    const local = tempDir('mega-bob-')
    writeFileSync(join(local, 'bob.txt'), 'bob')
    expectOk(await bob.run(['put', join(local, 'bob.txt'), '/']))
    const before = serverLinks(server())
    expectFailure(await bob.run(['export', '-a', '/bob.txt']), 51, /^Exporting needs MEGA's copyright terms accepted first: add -f to accept them$/)
    expect(serverLinks(server())).to.deep.equal(before)
    // Only PRO accounts protect links (MEGAcmd's amIPro): the link is exported, unprotected, with a warning.
    const result = await bob.run(['export', '-a', '-f', '--password=secret', '/bob.txt'])
    expect([result.code, result.stderr]).to.deep.equal([0, 'Only PRO users can protect links with passwords. Showing UNPROTECTED link\n'])
    expect(linkOf(result.stdout)).to.match(/^https:\/\/mega\.nz\/file\//)
    // Accepted once, remembered.
    expectOk(await bob.run(['export', '-d', '/bob.txt']))
    expect(expectOk(await bob.run(['export', '-a', '/bob.txt']))).to.match(/^Exported \/bob\.txt : /)
  })

  it('learns links another session makes or removes, with their expiry, from the account\'s events', async () => {
    const other = new MegaUser(server().url)
    await other.login(ALICE, PASSWORD)
    const nothing = [53, 'Couldn\'t find anything exported below </docs>. Use -a to export it\n']
    const none = await other.run(['export', '/docs'])
    expect([none.code, none.stdout]).to.deep.equal(nothing)
    const link = linkOf(expectOk(await alice.run(['export', '-a', '--expire=1d', '/docs/a.txt'])))
    expect(expectOk(await other.run(['export', '/docs']))).to.match(new RegExp(`^/docs/a\\.txt \\(2\\.93 KB, shared as exported temporal file link: ${link} expires at ${RFC2822.source}\\)\\n$`))
    expectOk(await alice.run(['export', '-d', '/docs/a.txt']))
    const gone = await other.run(['export', '/docs'])
    expect([gone.code, gone.stdout]).to.deep.equal(nothing)
  })

  it('imports file and folder links into the account, as MEGAcmd says, and never twice the same file', async () => {
    const fileLink = linkOf(expectOk(await alice.run(['export', '-a', '/docs/a.txt'])))
    const folderLink = linkOf(expectOk(await alice.run(['export', '-a', '/docs'])))
    const deep = await handleOf(alice, '/docs', 'deep')
    expect(expectOk(await bob.run(['import', fileLink]))).to.equal('Import file complete: /a.txt\n')
    const count = serverNodeCount(server())
    expect(expectOk(await bob.run(['import', fileLink]))).to.equal('Import file complete: /a.txt\n')
    expect(serverNodeCount(server()), 'the same file is not imported again').to.equal(count)
    expectOk(await bob.run(['mkdir', '/imports']))
    expect(expectOk(await bob.run(['import', fileLink, '/imports']))).to.equal('Import file complete: /imports/a.txt\n')
    expect(expectOk(await bob.run(['import', folderLink, '/imports']))).to.equal('Imported folder complete: /imports/docs\n')
    expect(expectOk(await bob.run(['import', `${folderLink}/folder/${deep}`, '/imports']))).to.equal('Imported folder complete: /imports/deep\n')
    expect(expectOk(await bob.run(['ls', '-R', '/imports']))).to.equal('deep\n\tb.bin\ndocs\n\tdeep\n\t\tb.bin\n\ta.txt\na.txt\n')
    const dest = tempDir('mega-imported-')
    expectOk(await bob.run(['get', '/imports', dest]))
    expect(readFileSync(join(dest, 'imports', 'docs', 'deep', 'b.bin')).equals(content.b)).to.equal(true)
    expect(readFileSync(join(dest, 'imports', 'deep', 'b.bin')).equals(content.b)).to.equal(true)
    expect(readFileSync(join(dest, 'imports', 'a.txt')).equals(content.a)).to.equal(true)
    // The copies are bob's: they outlive alice's links.
    expectOk(await alice.run(['export', '-d', '/docs/a.txt', '/docs']))
    expectOk(await bob.run(['get', '/imports/docs/a.txt', join(dest, 'again.txt')]))
    expect(readFileSync(join(dest, 'again.txt')).equals(content.a)).to.equal(true)
  })

  it('refuses a bad destination (55), a bad link (55), an unknown (9) or wrong-key (14) link, and imports nothing', async () => {
    const fileLink = linkOf(expectOk(await alice.run(['export', '-a', '/docs/deep/b.bin'])))
    const folderLink = linkOf(expectOk(await alice.run(['export', '-a', '/docs/deep'])))
    const [, ph, key] = /\/file\/([\w-]{8})#([\w-]{43})$/.exec(fileLink)!
    const [, folderPh] = /\/folder\/([\w-]{8})#/.exec(folderLink)!
    const unknown = ph === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'
    const count = serverNodeCount(server())
    expectFailure(await bob.run(['import', fileLink, '/a.txt']), 55, /^Invalid destiny: \/a\.txt$/)
    expectFailure(await bob.run(['import', fileLink, '/nothere']), 55, /^Invalid destiny: \/nothere$/)
    expectFailure(await bob.run(['import', 'nolink']), 55, /^Invalid link: nolink$/)
    expectFailure(await bob.run(['import', `https://mega.nz/file/${ph}#AAAA`]), 55, /^Invalid link/)
    expectFailure(await bob.run(['import']), 51, /^Usage: import /)
    expectFailure(await bob.run(['import', `https://mega.nz/file/${unknown}#${key}`]), 9, /^Failed to import node: Not found$/)
    expectFailure(await bob.run(['import', `https://mega.nz/file/${ph}#${randomBytes(32).toString('base64url')}`]), 14, /^Key not valid /)
    // A folder link is opened on a throwaway cache in the temporary folder: this one's must be gone afterwards.
    const linkTmp = tempDir('import-tmp-')
    expectFailure(await bob.run(['import', `https://mega.nz/folder/${folderPh}#${randomBytes(16).toString('base64url')}`], {env: {TMPDIR: linkTmp}}), 14,
      /^Failed to access folder link .*: Invalid key\/Decryption error$/)
    expectFailure(await new MegaUser(server().url).run(['import', fileLink]), 57, /^Not logged in\.$/)
    expect(serverNodeCount(server())).to.equal(count)
    expect(readdirSync(linkTmp), 'no folder link\'s cache left behind').to.deep.equal([])
    expectOk(await alice.run(['export', '-d', '/docs/deep/b.bin', '/docs/deep']))
  })
})
