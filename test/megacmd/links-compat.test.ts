import {expect} from 'chai'
import {existsSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite, serverLinks} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'
import {megacmdErrors, ourErrors} from '../helpers/megacmd-compare.js'

/**
 * `export`, `import` and `get` of links: MEGAcmd 2.5.2 and mega-shell on the same (PRO) account print the same
 * stdout, exit codes and error messages. The links are made by our client before MEGAcmd logs in, so MEGAcmd
 * reads them all from its first fetch.
 *
 * Differences on purpose, each shown where it appears:
 * - `export -a` prints `Exported <path> : <link>`, MEGAcmd 2.5.2 `Exported <path>: <link>`: the guide's
 *   `awk '{print $4}'` needs the older MEGAcmd's space (export-lines.ts);
 * - a folder link's key: the SDK reads share keys only from the account's key manager attribute (`^!keys`), which
 *   our client does not write (it sends the key as `ok` in `s2`, as megajs and the webclient's legacy path), so
 *   MEGAcmd lists our folder links with an empty key (`…/folder/<ph>#`) where we print the key;
 * - a link whose key does not open it: MEGAcmd imports an undecryptable "NO_KEY" node and exits 0, we refuse (14);
 * - `export -a /` exits 56 with MEGAcmd's message, where MEGAcmd prints the error and exits 0;
 * - `export -a --expire=` (empty) is refused (51), where MEGAcmd makes a permanent link.
 */

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'

describe('MEGAcmd 2.5.2 and mega-shell: public links (test/megacmd)', function () {
  let megacmd: MegaCmd | undefined
  after(async function () {
    await megacmd?.stop()
  })
  const server = localServerForSuite([{email: ALICE, password: PASSWORD, proLevel: 1}])
  let alice: MegaUser
  const links = {file: '', folder: '', writable: ''}

  before(async function () {
    requireMegaCmd()
    alice = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    const local = tempDir('megacmd-links-')
    mkdirSync(join(local, 'docs', 'deep'), {recursive: true})
    writeFileSync(join(local, 'docs', 'a.txt'), 'hello!')
    writeFileSync(join(local, 'docs', 'deep', 'c.txt'), 'c')
    writeFileSync(join(local, 'b.txt'), 'bb')
    writeFileSync(join(local, 'e.txt'), 'eee')
    expectOk(await alice.run(['put', join(local, 'docs'), join(local, 'b.txt'), join(local, 'e.txt'), '/']))
    expectOk(await alice.run(['mkdir', '/files', '/imp-theirs', '/imp-ours']))
    expectOk(await alice.run(['put', join(local, 'b.txt'), '/files']))
    const link = (out: string) => / : (\S+)/.exec(out)![1]
    links.file = link(expectOk(await alice.run(['export', '-a', '-f', '/docs/a.txt', '--expire=1d'])))
    links.folder = link(expectOk(await alice.run(['export', '-a', '/docs/deep'])))
    links.writable = link(expectOk(await alice.run(['export', '-a', '--writable', '/docs'])))
    expectOk(await alice.run(['export', '-a', '/files/b.txt']))
    megacmd = new MegaCmd(server().url)
    await megacmd.run(['login', ALICE, PASSWORD])
    expect((await megacmd.run(['whoami'])).stdout, 'MEGAcmd could not log in').to.equal(`Account e-mail: ${ALICE}\n`)
  })

  function label(args: string[], theirs: CliResult, ours: CliResult): string {
    return `"${args.join(' ')}"\nMEGAcmd:\n${theirs.stdout}${theirs.stderr}\nours:\n${ours.stdout}${ours.stderr}`
  }

  /** Runs `args` with both and expects the same stdout (after `adapt`), exit code and errors. */
  async function expectSame(args: string[], adapt: (ours: string) => string = (ours) => ours): Promise<CliResult> {
    const [theirs, ours] = await Promise.all([megacmd!.run(args), alice.run(args)])
    const about = label(args, theirs, ours)
    expect(adapt(ours.stdout), `stdout of ${about}`).to.equal(theirs.stdout)
    expect(ours.code, `exit code of ${about}`).to.equal(theirs.code)
    expect(ourErrors(ours.stderr), `errors of ${about}`).to.deep.equal(withoutUsage(megacmdErrors(theirs.stderr)))
    return theirs
  }

  /** Our listing with folder links' keys removed, as MEGAcmd shows them without `^!keys` (see above). */
  const withoutFolderKeys = (text: string) => text.replace(/((?:\/folder\/|AuthToken=)[\w-]{8})#[\w-]{22}/g, '$1#')
  /** Our errors are one line: MEGAcmd's usage line after a usage error is not repeated. */
  const withoutUsage = (errors: string[]) => errors.filter((line) => !line.startsWith('Usage: '))

  it('lists links as MEGAcmd: files with their expiry, folders, a writable folder\'s AuthToken, paths as given', async function () {
    expect((await expectSame(['export', '/files'])).stdout).to.match(/^\/files\/b\.txt \(2\.00 B, shared as exported permanent file link: https:\/\/mega\.nz\/file\//)
    for (const path of ['/', '/docs', 'docs', '/docs/deep', 'docs/deep', '.']) await expectSame(['export', path], withoutFolderKeys)
    await expectSame(['export'], withoutFolderKeys)
    const theirs = await expectSame(['export', '/docs/a.txt'])
    expect(theirs.stdout).to.equal(`/docs/a.txt (6.00 B, shared as exported temporal file link: ${links.file} expires at ${/expires at (.*)\)$/m.exec(theirs.stdout)![1]})\n`)
  })

  it('refuses what MEGAcmd refuses, with its messages and exit codes, and changes no link', async function () {
    const before = serverLinks(server())
    for (const args of [
      ['export', '/b.txt'], ['export', '/docs/deep/c.txt'], ['export', '/nothere'], ['export', 'no*'],
      ['export', '-d', '/b.txt'], ['export', '-d', '/nothere'],
      ['export', '--expire=10M', '/b.txt'], ['export', '-f', '/b.txt'], ['export', '--writable', '/b.txt'], ['export', '--password=x', '/b.txt'],
      ['export', '-a', '--password=', '/b.txt'], ['export', '-a', '--expire=10X', '/b.txt'],
      ['export', '-a', '/docs/deep'], ['export', '-a', '/docs/a.txt'], ['export', '-a', '/nothere'],
    ]) {
      await expectSame(args)
    }
    // The root: the same message; MEGAcmd exits 0 after it, we 56.
    const [theirs, ours] = await Promise.all([megacmd!.run(['export', '-a', '/']), alice.run(['export', '-a', '/'])])
    expect(megacmdErrors(theirs.stderr)).to.deep.equal(['Failed to export node /: The root folder cannot be exported'])
    expect(ourErrors(ours.stderr)).to.deep.equal(megacmdErrors(theirs.stderr))
    expect([theirs.code, ours.code]).to.deep.equal([0, 56])
    // An empty --expire: MEGAcmd ignores it and makes a permanent link; we refuse it, as any TIMEDELAY that does
    // not parse (a script's empty variable must not make a link that never expires).
    const empty = await alice.run(['export', '-a', '--expire=', '/b.txt'])
    expect([empty.code, empty.stdout, empty.stderr]).to.deep.equal([51, '', 'Invalid time \n'])
    expect(serverLinks(server())).to.deep.equal(before)
  })

  it('makes and removes links as MEGAcmd, but for the space before the colon', async function () {
    const theirs = await megacmd!.run(['export', '-a', '/b.txt', '--expire=1d'])
    const ours = await alice.run(['export', '-a', '/e.txt', '--expire=1d'])
    const about = label(['export', '-a'], theirs, ours)
    expect([theirs.code, ours.code], about).to.deep.equal([0, 0])
    const shape = (path: string) => `^Exported ${path}%s https://mega\\.nz/file/[\\w-]{8}#[\\w-]{43} expires at \\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\n$`
    expect(theirs.stdout, about).to.match(new RegExp(shape('/b\\.txt').replace('%s', ':')))
    expect(ours.stdout, about).to.match(new RegExp(shape('/e\\.txt').replace('%s', ' :')))
    const [theirsOff, oursOff] = await Promise.all([megacmd!.run(['export', '-d', '/b.txt']), alice.run(['export', '-d', '/e.txt'])])
    expect([theirsOff.code, theirsOff.stdout, oursOff.code, oursOff.stdout]).to.deep.equal([0, 'Disabled export: /b.txt\n', 0, 'Disabled export: /e.txt\n'])
  })

  it('imports file and folder links with MEGAcmd\'s messages, and refuses bad links and destinations as it does', async function () {
    for (const [link, name, what] of [[links.file, 'a.txt', 'Import file complete'], [links.folder, 'deep', 'Imported folder complete']]) {
      const [theirs, ours] = await Promise.all([megacmd!.run(['import', link, '/imp-theirs']), alice.run(['import', link, '/imp-ours'])])
      const about = label(['import', link], theirs, ours)
      expect([theirs.code, theirs.stdout], about).to.deep.equal([0, `${what}: /imp-theirs/${name}\n`])
      expect([ours.code, ours.stdout], about).to.deep.equal([0, `${what}: /imp-ours/${name}\n`])
    }
    const [, ph, key] = /\/file\/([\w-]{8})#([\w-]{43})$/.exec(links.file)!
    const unknown = ph === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'
    for (const args of [
      ['import', links.file, '/b.txt'], ['import', links.file, '/nothere'], ['import', 'nolink'],
      ['import', `https://mega.nz/file/${unknown}#${key}`], ['import', `https://mega.nz/folder/${unknown}#${'A'.repeat(22)}`],
    ]) {
      await expectSame(args)
    }
  })

  it('gets file and folder links as MEGAcmd, and refuses unknown and wrong-key links with its messages', async function () {
    const mine = tempDir('links-ours-')
    const theirsDir = tempDir('links-theirs-')
    for (const [link, name] of [[links.file, 'a.txt'], [links.folder, 'deep']]) {
      const [theirs, ours] = await Promise.all([megacmd!.run(['get', link, theirsDir]), alice.run(['get', link, mine])])
      const about = label(['get', link], theirs, ours)
      // MEGAcmd's stdout starts with the empty line that ends its progress bar (we draw no bar without a terminal),
      // then "Download finished: <path>" — on some runs its client returns before that line arrives, so the line is
      // checked when it is there, and the download itself always.
      expect(theirs.code, about).to.equal(0)
      expect(existsSync(join(theirsDir, name)), about).to.equal(true)
      if (theirs.stdout.includes('Download finished')) expect(theirs.stdout, about).to.include(`\nDownload finished: ${join(theirsDir, name)}\n`)
      expect([ours.code, ours.stdout], about).to.deep.equal([0, `Download finished: ${join(mine, name)}\n`])
    }
    expect(readFileSync(join(mine, 'deep', 'c.txt'), 'utf8')).to.equal(readFileSync(join(theirsDir, 'deep', 'c.txt'), 'utf8'))
    const [, ph] = /\/file\/([\w-]{8})#/.exec(links.file)!
    const unknown = ph === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'
    const wrongKey = `https://mega.nz/file/${ph}#${'A'.repeat(43)}`
    await expectSame(['get', `https://mega.nz/file/${unknown}#${'A'.repeat(43)}`, mine])
    await expectSame(['get', `https://mega.nz/folder/${unknown}#${'A'.repeat(22)}`, mine])
    // MEGAcmd adds "Download failed. error code: Invalid key/Decryption error" after the same first line.
    const [theirs, ours] = await Promise.all([megacmd!.run(['get', wrongKey, theirsDir]), alice.run(['get', wrongKey, mine])])
    expect([ours.code, ourErrors(ours.stderr)]).to.deep.equal([theirs.code, megacmdErrors(theirs.stderr).slice(0, 1)])
  })
})
