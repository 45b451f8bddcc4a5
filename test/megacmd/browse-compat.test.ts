import {expect} from 'chai'
import {mkdirSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage, type MutableFile} from 'megajs'
import {encodeMediaProperties} from '../../src/crypto/media-attributes.js'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'
import {expectSameOutput, megacmdErrors, ourErrors} from '../helpers/megacmd-compare.js'

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'
const DAY = 86400
const NOW = Math.floor(Date.now() / 1000)

/**
 * The browse commands of MEGAcmd 2.5.2 and mega-shell on one account: ls -a/-aa/--tree/--show-creation-time/
 * --time-format/--use-pcre, tree, find, du, df, attr, mediainfo, cat and cp print the same stdout, exit codes and
 * error messages (pattern: output-compat.test.ts, whose deliberate differences hold here too: control characters
 * escaped, one line per error).
 *
 * The account is built by our client and by megajs (public links, media attributes) before MEGAcmd logs in, so
 * MEGAcmd reads it all from its first fetch. Commands that change something run on both sides: MEGAcmd's changes
 * reach us at our next command's catch-up.
 *
 * Also different on purpose here: `find --type=` other than d or f is refused (51) where MEGAcmd finds everything;
 * df lists no incoming shares (the cache does not know them yet); the link of the folder megajs exported carries
 * its key in our `ls -aa`/`find -l` (we read the share key from `f.ok`), where MEGAcmd prints `…#` with nothing
 * after it (its SDK did not take megajs's share key: `withFolderLinkKey` puts the key back before comparing).
 */
describe('MEGAcmd 2.5.2 and mega-shell browse alike (test/megacmd)', function () {
  // Each test runs dozens of commands on both clients (MEGAcmd's take 1-3 s each on a busy machine).
  this.timeout(600_000)
  let megacmd: MegaCmd | undefined
  after(async function () {
    await megacmd?.stop()
  })
  const server = localServerForSuite([{email: ALICE, password: PASSWORD, name: 'Alice X'}])
  let alice: MegaUser

  before(async function () {
    requireMegaCmd()
    alice = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    await buildAccount(alice, server().url)
    megacmd = new MegaCmd(server().url)
    await megacmd.run(['login', ALICE, PASSWORD])
    expect((await megacmd.run(['whoami'])).stdout, 'MEGAcmd could not log in').to.equal(`Account e-mail: ${ALICE}\n`)
  })

  const withFolderLinkKey = (stdout: string): string => stdout.replaceAll(`${links.folder.split('#')[0]}#)`, `${links.folder})`)
  const expectSame = (args: string[]): Promise<CliResult> => expectSameOutput(megacmd!, alice, args, withFolderLinkKey)

  it('ls -a and -aa: sizes, types and the links megajs made (file and folder, keys included)', async function () {
    for (const args of [['-a'], ['-a', '/'], ['-aa', '/'], ['-aa', '/docs'], ['-a', '/docs/a.txt'], ['-aa', '/docs/a.txt'], ['-aR', '/'], ['-aa', '-R', '/docs'],
      ['-a', '//bin'], ['-a', 'd*'], ['-aa', '--show-handles', '/photos'], ['-la', '/docs']]) {
      await expectSame(['ls', ...args])
    }
  })

  it('ls --tree and tree: of the cwd, a folder, a file, a pattern, with -a and handles', async function () {
    for (const args of [['ls', '--tree'], ['ls', '--tree', '/'], ['ls', '--tree', 'docs'], ['ls', '--tree', '/docs/deep'], ['ls', '--tree', '/docs/a.txt'],
      ['ls', '--tree', '/p*'], ['ls', '--tree', '-aa', '/'], ['ls', '--tree', '--show-handles', '/docs'], ['ls', '--tree', '-l', '/docs'], ['ls', '--tree', '//bin'],
      ['tree'], ['tree', '/docs'], ['tree', '--show-handles', '/photos'], ['tree', '/nothere'], ['ls', '--tree', 'nothere']]) {
      await expectSame(args)
    }
  })

  it('ls -l with --time-format and --show-creation-time; ls --use-pcre and -r', async function () {
    for (const args of [['-l', '--time-format=ISO6081', '/docs'], ['-l', '--time-format=ISO6081_WITH_TIME', '/'], ['-l', '--time-format=RFC2822', '/photos'],
      ['-l', '--time-format=SHORT_UTC', '/docs'], ['-l', '--time-format=%Y/%m/%d', '/docs'], ['-l', '--show-creation-time', '/docs'],
      ['-l', '--show-creation-time', '--time-format=ISO6081', '/photos'], ['-aa', '--time-format=ISO6081', '/docs'],
      ['--use-pcre', '/d.cs'], ['--use-pcre', '/photos/p[0-9]\\.jpg'], ['--use-pcre', '/photos/p1.*'], ['-l', '--use-pcre', '/(docs|photos)'],
      ['--use-pcre', '/*'], ['-r', '/docs'], ['-lr', '/docs']]) {
      await expectSame(['ls', ...args])
    }
  })

  it('find: post-order, relative or absolute paths, --pattern, --type, --size, --mtime, handles, -l, --use-pcre', async function () {
    for (const args of [[], ['/'], ['docs'], ['/docs'], ['./docs'], ['docs/deep/..'], ['..'], ['//bin'], ['d*'], ['/p*', 'docs'],
      ['--pattern=*.txt'], ['/', '--pattern=p?.jpg'], ['/', '--type=d'], ['/', '--type=f'], ['/', '--size=+2k'], ['/', '--size=-100B'], ['/', '--size=+1k-4k'],
      ['/', '--size=-4k+1k'], ['/', '--mtime=+1y'], ['/', '--mtime=-3d'], ['/', '--mtime=-30d+5d'], ['/', '--mtime=+5d-30d'], ['/docs', '--show-handles'],
      ['/docs', '--print-only-handles'], ['-l', '/'], ['-l', '/docs', '--show-handles'], ['-l', '//bin'], ['/', '--pattern=p1.*', '--use-pcre'],
      ['/', '--pattern=(a|c)\\.txt', '--use-pcre'], ['--use-pcre', '/d.cs'], ['/nothere'], ['nothere', '/docs/deep', 'zz*'], ['--mtime=5'], ['--size=100'],
      ['--size=+1.5M'], ['--mtime=+1w']]) {
      await expectSame(['find', ...args])
    }
  })

  it('find in a folder below the root: relative paths, "." and ".."', async function () {
    await expectSame(['cd', '/docs/deep'])
    try {
      for (const args of [[], ['.'], ['..'], ['../deep'], ['er'], ['/docs'], ['--pattern=*.txt', '/']]) await expectSame(['find', ...args])
      for (const args of [[], ['.'], ['..'], ['../a.txt'], ['./er'], ['c.txt']]) await expectSame(['du', ...args])
    } finally {
      await expectSame(['cd', '/'])
    }
  })

  it('du: rows, total, -h, --path-display-size, patterns and --use-pcre; a missing path stops it; df', async function () {
    for (const args of [[], ['/'], ['/docs', 'photos', '/empty'], ['-h', '/docs', 'big.bin'], ['--path-display-size=10', '/docs/b.bin'],
      ['--path-display-size=0', '/docs'], ['-h', '--path-display-size=30', '/', '//bin'], ['d*', '/p*'], ['./docs'], ['docs/deep/..'], ['zz*'],
      ['--use-pcre', '/d.cs'], ['/docs', '/nothere', '/photos'], ['/nothere'], ['H:AAAAAAAA']]) {
      await expectSame(['du', ...args])
    }
    await expectSame(['df'])
    await expectSame(['df', '-h'])
  })

  it('attr: lists, reads and refuses what our client and MEGAcmd set, the same way', async function () {
    for (const args of [['/docs/a.txt'], ['/docs/a.txt', 'color'], ['/docs/a.txt', 'color', '--print-only-value'], ['/docs/a.txt', 's4'],
      ['/docs/a.txt', 's4', '--force-non-official'], ['/docs'], ['/nothere'], ['/docs/a.txt', '-s'], ['/docs', '-s', 'eightchr', 'x'],
      ['/', '-s', 'x', 'y'], ['/docs/a.txt', '--print-only-value']]) {
      await expectSame(['attr', ...args])
    }
    // Set by MEGAcmd, read by both.
    expect((await megacmd!.run(['attr', '/docs/b.bin', '-s', 'by', 'megacmd'])).code).to.equal(0)
    expect((await megacmd!.run(['attr', '/docs/b.bin', '-s', 's4', 'official'])).code).to.equal(0)
    await expectSame(['attr', '/docs/b.bin'])
    // Set by us (the same changes on another file), read by both once MEGAcmd has seen them.
    for (const args of [['-s', 'by', 'megacmd'], ['-s', 's4', 'official']]) expectOk(await alice.run(['attr', '/docs/deep/c.txt', ...args]))
    await eventually(() => megacmd!.run(['attr', '/docs/deep/c.txt']), (result) => result.stdout.includes('Official attributes'))
    await expectSame(['attr', '/docs/deep/c.txt'])
    const [theirs, ours] = [await megacmd!.run(['attr', '/docs/b.bin', '-d', 'by']), await alice.run(['attr', '/docs/deep/c.txt', '-d', 'by'])]
    expect([ours.stdout, ours.code]).to.deep.equal([theirs.stdout, theirs.code])
  })

  it('mediainfo: the media attributes megajs attached, decoded alike', async function () {
    await expectSame(['mediainfo', '/photos/p1.jpg', '/big.bin', '/docs/a.txt', '/docs'])
    await expectSame(['mediainfo', '--path-display-size=20', 'p*/*'])
    await expectSame(['mediainfo', '/nothere', 'zz*', '/big.bin'])
  })

  it('cat: files, patterns, a public link, and the same refusals', async function () {
    for (const args of [['/docs/a.txt'], ['/docs/a.txt', '/docs/deep/c.txt'], ['docs/*.txt'], ['/docs'], ['/nothere'], ['zz*', '/docs/a.txt'], [links.file],
      [links.folder], ['/docs/zero.txt']]) {
      await expectSame(['cat', ...args])
    }
    const [theirs, ours] = await Promise.all([megacmd!.run(['cat', '/big.bin']), alice.runBinary(['cat', '/big.bin'])])
    expect(ours.stdout.length).to.equal(3_000_000)
    expect(ours.stdout.every((byte) => byte === 0x78), 'our 3 MB are the file').to.equal(true)
    // MEGAcmd's server streams the 3 MB in one piece ("CatTransfer listener, streaming 3000000 bytes" in its
    // log), but its client mega-exec writes each socket read followed by NULs up to the bytes still expected
    // (observed: 219264 bytes, then 2780736 NULs, …), and on some runs it loses reads: only its exit code and that
    // it wrote nothing but the file's bytes and that padding are compared.
    expect([theirs.code, /^[x\0]*$/.test(theirs.stdout)], 'MEGAcmd wrote only the file\'s bytes (and its NUL padding)').to.deep.equal([0, true])
  })

  it('cp: the same copies, refusals and messages', async function () {
    expectOk(await alice.run(['mkdir', '/m', '/g']))
    await eventually(() => megacmd!.run(['ls', '/g']), (result) => result.code === 0)
    for (const args of [['/docs/a.txt', '/@'], ['/docs/a.txt', '/@/renamed.txt'], ['/docs', '/@/docs-copy'], ['/docs/b.bin', '/@/renamed.txt'],
      ['/docs', '/@/renamed.txt'], ['/docs/a.txt', '/docs/b.bin', '/@/nothere'], ['/nothere', '/@'], ['/docs/a.txt', '/@/nothere/x'], ['/@', '/@'],
      ['/docs/a.txt', '/docs/b.bin/x'], ['/', '/@'], ['/docs/a.txt', '/@/docs-copy/a.txt'], ['/docs/deep/c.txt', '/@/docs-copy/a.txt'], ['/p*', '/@'],
      ['--use-pcre', '/photos/p[12]\\.jpg', '/@/docs-copy'], ['/docs/*', '/@/renamed.txt']]) {
      const [theirs, ours] = [await megacmd!.run(['cp', ...args.map((a) => a.replace('@', 'm'))]), await alice.run(['cp', ...args.map((a) => a.replace('@', 'g'))])]
      const label = `cp ${args.join(' ')}\nMEGAcmd: ${theirs.stderr}\nours: ${ours.stderr}`
      expect(ours.code, label).to.equal(theirs.code)
      expect(ourErrors(ours.stderr), label).to.deep.equal(megacmdErrors(theirs.stderr).map((line) => line.replace(/\/m\b/g, '/g')))
    }
    // The trees they made are the same, file for file (times aside), seen by both clients.
    const tree = async (client: MegaCmd | MegaUser, top: string) => expectOk(await client.run(['ls', '-lR', '--time-format=T', top])).replaceAll(top, '/X').replace(new RegExp(`^${top.slice(1)}(?=[:/])`, 'gm'), 'X')
    await eventually(() => megacmd!.run(['find', '/g']), async (result) => result.stdout.replaceAll('/g', '/m') === (await megacmd!.run(['find', '/m'])).stdout)
    expect(await tree(alice, '/g')).to.equal(await tree(alice, '/m'))
    expect(await tree(megacmd!, '/g')).to.equal(await tree(megacmd!, '/m'))
  })

  it('cp by MEGAcmd of a file with versions: the SDK sends them along, and both see the copy', async function () {
    const local = tempDir('versions-')
    const notes = join(local, 'notes.txt')
    for (const text of ['first\n', 'second\n', 'third!\n']) {
      writeFileSync(notes, text)
      expect((await megacmd!.run(['put', notes, '/'])).code).to.equal(0)
    }
    expect((await megacmd!.run(['mkdir', '/vcopy'])).code).to.equal(0)
    const copied = await megacmd!.run(['cp', '/notes.txt', '/vcopy'])
    expect([copied.code, copied.stderr]).to.deep.equal([0, ''])
    expect((await megacmd!.run(['ls', '-l', '/vcopy'])).stdout).to.match(/\s3\s+7 .* notes\.txt/)
    expect(expectOk(await alice.run(['cat', '/vcopy/notes.txt']))).to.equal('third!\n')
  })

  it('file versions: MEGAcmd sees the versions our put made, we see its, and ls --versions and VERS print alike', async function () {
    const local = tempDir('versions-both-')
    const file = join(local, 'v.txt')
    for (const [i, text] of ['one\n', 'two two\n', 'three three\n'].entries()) {
      writeFileSync(file, text)
      utimesSync(file, NOW - (10 - i) * DAY, NOW - (10 - i) * DAY)
      expect((await megacmd!.run(['put', file, '/docs/deep'])).code).to.equal(0)
      expectOk(await alice.run(['put', file, '/photos']))
    }
    await eventually(() => megacmd!.run(['ls', '-l', '/photos/v.txt']), (result) => /^----\s+3\s/m.test(result.stdout))
    // Versions others make reach the legacy dialect only in a full fetch (`f2`): a new session of ours sees them.
    const fresh = new MegaUser(server().url)
    await fresh.login(ALICE, PASSWORD)
    for (const args of [['ls', '--versions', '/docs/deep'], ['ls', '--versions', '-a', '--show-handles', '/photos/v.txt'], ['ls', '-l', '--versions', '/docs/deep/v.txt'],
      ['ls', '-l', '--versions', '/photos'], ['ls', '-lR', '--versions', '--time-format=ISO6081', '/'], ['ls', '--versions', '--tree', '/photos'], ['ls', '-l', '/docs/deep'],
      ['find', '/photos'], ['du', '/photos', '/docs/deep'], ['du', '--versions', '/', '/photos', '/docs/deep/v.txt'], ['du', '-h', '--versions', '--path-display-size=30', '/']]) {
      await expectSameOutput(megacmd!, fresh, args, withFolderLinkKey)
    }
  })

  it('removing versions: rm name#mtime and deleteversions print, exit and leave the same as MEGAcmd', async function () {
    // Two identical folders, one for each client (MEGAcmd's cwd /vm, ours /vo): each removes versions in its own.
    const local = tempDir('versions-removal-')
    const T = NOW - 20 * DAY
    for (const top of ['/vm', '/vo']) {
      expectOk(await alice.run(['mkdir', '-p', `${top}/sub`]))
      for (const [name, count] of [['x.txt', 3], ['y.txt', 2], ['sub/z.txt', 2], ['p.txt', 1]] as const) {
        const file = join(local, name.replace('/', '-'))
        for (let i = 0; i < count; i++) {
          writeFileSync(file, `${name} ${i}\n`)
          utimesSync(file, T + i * DAY, T + i * DAY)
          expectOk(await alice.run(['put', file, `${top}/${name}`]))
        }
      }
    }
    await eventually(() => megacmd!.run(['ls', '-l', '/vm/sub/z.txt']), (result) => /^----\s+2\s/m.test(result.stdout))
    expect((await megacmd!.run(['cd', '/vm'])).code).to.equal(0)
    expectOk(await alice.run(['cd', '/vo']))
    try {
      for (const args of [['rm', `x.txt#${T + DAY}`], ['rm', `x.txt#${T + 5}`], ['ls', '--versions', 'x.txt'], ['ls', '-l', 'x.txt'], ['ls', '-l', 'y.txt'],
        ['deleteversions', 'p.txt'], ['deleteversions', '-f', 'p.txt'], ['deleteversions', '-f', 'nothing.txt', 'n*', 'nothing'],
        ['deleteversions', '-f', 'x.txt', 'y.txt'], ['ls', '-R', '--versions', '.'], ['deleteversions', '-f', 'sub'], ['ls', '-l', '--versions', 'x.txt'], ['ls', '-l', '--versions', 'sub/z.txt'],
        ['ls', '-R', '--versions', '.']]) {
        await expectSame(args)
      }
    } finally {
      await megacmd!.run(['cd', '/'])
      await alice.run(['cd', '/'])
    }
    // --all, last: it takes every version of the account, those of the test above too.
    const all = await expectSame(['deleteversions', '-f', '--all'])
    expect(all.stdout).to.equal('File versions deleted successfully. Please note that the current files were not deleted, just their history.\n')
    await expectSame(['ls', '-l', '/photos/v.txt'])
  })
})

/** Runs `command` until `done` accepts its result: what another client changed arrives asynchronously. */
async function eventually(command: () => Promise<CliResult>, done: (result: CliResult) => boolean | Promise<boolean>): Promise<CliResult> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const result = await command()
    if (await done(result)) return result
    if (Date.now() > deadline) throw new Error(`never happened: ${result.stdout}${result.stderr}`)
  }
}

const links = {file: '', folder: ''}

/** The account: files with known sizes and times, a rubbish bin, custom attributes, links and media attributes. */
async function buildAccount(alice: MegaUser, url: string): Promise<void> {
  const local = tempDir('browse-compat-')
  const files: Array<[string, number | string, number]> = [
    ['docs/a.txt', 'hello\n', NOW - 400 * DAY], ['docs/b.bin', 5000, NOW - 2 * 3600], ['docs/zero.txt', '', NOW - 50 * DAY], ['docs/deep/c.txt', 'c\n', NOW - 10 * DAY],
    ['photos/p1.jpg', 2000, NOW - 40 * DAY], ['photos/p10.jpg', 3000, NOW - 40 * DAY], ['photos/p2.jpg', 1500, NOW - 40 * DAY], ['big.bin', 3_000_000, NOW - DAY],
    ['trash/t.txt', 'trash\n', NOW - 3 * DAY],
  ]
  for (const [path, content, mtime] of files) {
    mkdirSync(join(local, path, '..'), {recursive: true})
    writeFileSync(join(local, path), typeof content === 'number' ? Buffer.alloc(content, 'x') : content)
    utimesSync(join(local, path), mtime, mtime)
  }
  mkdirSync(join(local, 'docs', 'deep', 'er'))
  mkdirSync(join(local, 'empty'))
  expectOk(await alice.run(['put', ...['docs', 'photos', 'empty', 'big.bin', 'trash'].map((name) => join(local, name)), '/']))
  expectOk(await alice.run(['mv', '/trash/t.txt', '//bin']))
  expectOk(await alice.run(['rm', '-r', '-f', '/trash']))
  for (const args of [['-s', 'color', 'red'], ['-s', 'by', 'Zoë'], ['-s', 's4', 'official-value'], ['-s', 's4', 'custom-s4', '--force-non-official']]) {
    expectOk(await alice.run(['attr', '/docs/a.txt', ...args]))
  }
  const storage = await new Storage({email: ALICE, password: PASSWORD, gateway: url, keepalive: false}).ready
  try {
    const at = (path: string): MutableFile => storage.root.navigate(path.split('/'))!
    links.file = await at('docs/a.txt').link(false)
    links.folder = await at('photos').link(false)
    const media = async (path: string, properties: Parameters<typeof encodeMediaProperties>[0]) =>
      storage.api.request({a: 'pfa', n: at(path).nodeId!, fa: encodeMediaProperties(properties, at(path).key!)} as never)
    await media('photos/p1.jpg', {shortFormat: 7, width: 4000, height: 3000, fps: 0, playtime: 0, containerId: 0, videoCodecId: 0, audioCodecId: 0})
    await media('big.bin', {shortFormat: 0, width: 1920, height: 1080, fps: 30, playtime: 3723, containerId: 3, videoCodecId: 300, audioCodecId: 77})
  } finally {
    storage.api.close()
  }
}
