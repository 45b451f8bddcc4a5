import {expect} from 'chai'
import {mkdirSync, readdirSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {strftime} from '../../src/format/time-text.js'
import {expectKeptTotalsMatchScan} from '../helpers/cached-totals.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'

const EMAIL = 'lister@example.com'
const PASSWORD = 'listing pass'
const DAY = 86400
const NOW = Math.floor(Date.now() / 1000)

/**
 * ls -a/-aa/--tree/--show-creation-time/--time-format/--use-pcre, tree, find, du and df through the built binary
 * against a local server, with megajs as a second client on the same account: it makes the public links that
 * `ls -aa` must show byte for byte, and changes the tree behind our back for find and du to follow.
 */
describe('browsing: ls extras, tree, find, du, df', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let mega: MegaUser
  let storage: Storage
  const links: Record<string, string> = {}
  /** When the upload ran, in seconds: the nodes' creation times fall within it (NOW is taken at load time, long before on a busy run). */
  const uploaded = {from: 0, to: 0}

  before(async function () {
    mega = new MegaUser(server().url)
    await mega.login(EMAIL, PASSWORD)
    const local = tempDir('browse-files-')
    // Files with known sizes and modification times (put keeps the local mtime in the fingerprint).
    const files: Array<[string, number, number]> = [
      ['docs/a.txt', 6, NOW - 400 * DAY], ['docs/b.bin', 5000, NOW - 2 * 3600], ['docs/deep/c.txt', 2, NOW - 10 * DAY],
      ['photos/p1.jpg', 2000, NOW - 40 * DAY], ['photos/p10.jpg', 3000, NOW - 40 * DAY], ['photos/p2.jpg', 1500, NOW - 40 * DAY], ['big.bin', 3_000_000, NOW - DAY],
    ]
    for (const [path, size, mtime] of files) {
      mkdirSync(join(local, path, '..'), {recursive: true})
      writeFileSync(join(local, path), Buffer.alloc(size, 'x'))
      utimesSync(join(local, path), mtime, mtime)
    }
    mkdirSync(join(local, 'docs', 'deep', 'er'))
    mkdirSync(join(local, 'empty'))
    uploaded.from = Math.floor(Date.now() / 1000)
    expectOk(await mega.run(['put', join(local, 'docs'), join(local, 'photos'), join(local, 'empty'), join(local, 'big.bin'), '/']))
    uploaded.to = Math.ceil(Date.now() / 1000)
    storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    const docs = storage.root.children!.find((c) => c.name === 'docs')!
    links.file = await docs.children!.find((c) => c.name === 'a.txt')!.link(false)
    links.folder = await storage.root.children!.find((c) => c.name === 'photos')!.link(false)
  })

  after(function () {
    storage?.api.close()
  })

  const lines = async (args: string[]) => expectOk(await mega.run(args)).split('\n').slice(0, -1)

  describe('ls', function () {
    it('-a shows sizes and types, and whether a node is exported; -aa adds the link megajs made, key included', async function () {
      expect(await lines(['ls', '-a', '/'])).to.deep.equal([
        'docs (folder)', 'empty (folder)', 'photos (folder, shared as exported permanent folder link)', 'big.bin (2.86 MB)'])
      expect(await lines(['ls', '-a', '/docs'])).to.deep.equal([
        'deep (folder)', 'a.txt (6.00 B, shared as exported permanent file link)', 'b.bin (4.88 KB)'])
      expect(await lines(['ls', '-aa', '/docs/a.txt'])).to.deep.equal([`docs/a.txt (6.00 B, shared as exported permanent file link: ${links.file})`])
      expect(await lines(['ls', '-a', '-a', '/'])).to.include(`photos (folder, shared as exported permanent folder link: ${links.folder})`)
      expect(await lines(['ls', '-aR', '/docs'])).to.deep.equal([
        'deep (folder)', '\ter (folder)', '\tc.txt (2.00 B)', 'a.txt (6.00 B, shared as exported permanent file link)', 'b.bin (4.88 KB)'])
    })

    it('--tree draws the tree below ".", a path, or a pattern\'s titled folders; tree is ls --tree', async function () {
      const tree = ['.', '├── docs', '│   ├── deep', '│   │   ├── er', '│   │   └── c.txt', '│   ├── a.txt', '│   └── b.bin', '├── empty', '├── photos',
        '│   ├── p1.jpg', '│   ├── p2.jpg', '│   └── p10.jpg', '└── big.bin']
      expect(await lines(['ls', '--tree'])).to.deep.equal(tree)
      expect(await lines(['tree'])).to.deep.equal(tree)
      expect(await lines(['ls', '--tree', 'docs'])).to.deep.equal(['docs', '├── deep', '│   ├── er', '│   └── c.txt', '├── a.txt', '└── b.bin'])
      expect(await lines(['tree', '/docs/deep'])).to.deep.equal(['/docs/deep', '├── er', '└── c.txt'])
      expect(await lines(['ls', '--tree', '/p*'])).to.deep.equal(['/photos: ', '├── p1.jpg', '├── p2.jpg', '└── p10.jpg'])
      const handles = await lines(['tree', '--show-handles', '/docs/deep'])
      expect(handles[1]).to.match(/^├── er <H:[\w-]{8}>$/)
      expectFailure(await mega.run(['tree', '/nothere']), 53, /^Couldn't find \/nothere$/)
    })

    it('-l shows modification times, --show-creation-time the upload times, --time-format any format', async function () {
      const date = (seconds: number, pattern: string) => strftime(pattern, seconds)
      const [header, row] = await lines(['ls', '-l', '--time-format=ISO6081', '/docs/a.txt'])
      expect(header).to.equal(`FLAGS VERS      SIZE   ${'DATE      '.padStart(11)} NAME`)
      expect(row).to.equal(`-ep-    1            6 ${date(NOW - 400 * DAY, '%F')} a.txt`)
      const created = (await lines(['ls', '-l', '--show-creation-time', '--time-format=%s', '/docs/a.txt']))[1].split(' ').filter(Boolean)[3]
      expect(Number(created)).to.be.within(uploaded.from, uploaded.to)
      const rfc = await lines(['ls', '-l', '--time-format=RFC2822', '/docs'])
      expect(rfc[2]).to.equal(`-ep-    1            6 ${date(NOW - 400 * DAY, '%a, %d %b %Y %T %z')} a.txt`)
    })

    it('--use-pcre matches regular expressions against whole names; -r is -R', async function () {
      expect(await lines(['ls', '--use-pcre', '/photos/p[0-9]\\.jpg'])).to.deep.equal(['photos/p1.jpg', 'photos/p2.jpg'])
      expect(await lines(['ls', '--use-pcre', '/d.cs'])).to.deep.equal(['/docs: ', 'deep', 'a.txt', 'b.bin'])
      expectFailure(await mega.run(['ls', '/d.cs']), 53, /^Couldn't find "\/d\.cs"$/)
      expect(await lines(['ls', '-r', '/docs'])).to.deep.equal(await lines(['ls', '-R', '/docs']))
    })

    it('shows the path argument in its usage', async function () {
      expect(expectOk(await mega.run(['ls', '--help']))).to.match(/USAGE\n\s+\$ mega ls \[-halRr\] [^\n]*\n?\s*\[remotepath\.\.\.\]/)
    })
  })

  describe('find', function () {
    it('lists a subtree in post-order, relative to the cwd, or absolute for "/" and ".." paths', async function () {
      expect(await lines(['find', '/docs'])).to.deep.equal(['/docs/deep/er', '/docs/deep/c.txt', '/docs/deep', '/docs/a.txt', '/docs/b.bin', '/docs'])
      expect(await lines(['find', 'docs'])).to.deep.equal(['docs/deep/er', 'docs/deep/c.txt', 'docs/deep', 'docs/a.txt', 'docs/b.bin', 'docs'])
      expect((await lines(['find'])).slice(-3)).to.deep.equal(['photos', 'big.bin', '.'])
      expect(await lines(['find', 'docs/deep/..', '--type=f'])).to.deep.equal(['/docs/deep/c.txt', '/docs/a.txt', '/docs/b.bin'])
      const inDocs = expectOk(await mega.run(['find', '.'], {env: {MEGA_CWD: '/docs'}})).split('\n').slice(0, -1)
      expect(inDocs).to.deep.equal(['deep/er', 'deep/c.txt', 'deep', 'a.txt', 'b.bin', '.'])
    })

    it('narrows by --pattern (wildcards, or regular expressions with --use-pcre), --type, --size and --mtime', async function () {
      expect(await lines(['find', '/', '--pattern=*.jpg'])).to.deep.equal(['/photos/p1.jpg', '/photos/p2.jpg', '/photos/p10.jpg'])
      expect(await lines(['find', '/', '--pattern=p1.*', '--use-pcre'])).to.deep.equal(['/photos/p1.jpg', '/photos/p10.jpg'])
      expect(await lines(['find', '/', '--type=d'])).to.deep.equal(['/docs/deep/er', '/docs/deep', '/docs', '/empty', '/photos'])
      expect(await lines(['find', '/', '--size=+2k-4k'])).to.deep.equal(['/photos/p10.jpg'])
      expect(await lines(['find', '/', '--size=-1999B'])).to.deep.equal(['/docs/deep/c.txt', '/docs/a.txt', '/photos/p2.jpg'])
      expect(await lines(['find', '/', '--mtime=+1y'])).to.deep.equal(['/docs/a.txt'])
      expect(await lines(['find', '/', '--mtime=-3d'])).to.deep.equal(['/docs/b.bin', '/big.bin'])
      expect(await lines(['find', '/', '--mtime=-30d+5d'])).to.deep.equal(['/docs/deep/c.txt'])
    })

    it('prints handles, or extended information with -l (links included)', async function () {
      const handles = await lines(['find', '/docs/deep', '--print-only-handles'])
      expect(handles).to.have.length(3)
      for (const handle of handles) expect(handle).to.match(/^H:[\w-]{8}$/)
      expect(await lines(['find', '/docs/deep', '--show-handles'])).to.deep.equal(['/docs/deep/er', '/docs/deep/c.txt', '/docs/deep'].map((path, i) => `${path} <${handles[i]}>`))
      expect(await lines(['find', '-l', '/docs'])).to.deep.equal(['/docs/deep/er (folder)', '/docs/deep/c.txt (2.00 B)', '/docs/deep (folder)',
        `/docs/a.txt (6.00 B, shared as exported permanent file link: ${links.file})`, '/docs/b.bin (4.88 KB)', '/docs (folder)'])
      expect((await lines(['find', '-l', '/', '--type=d', '--pattern=photos']))).to.deep.equal([`/photos (folder, shared as exported permanent folder link: ${links.folder})`])
      expect((await lines(['find', '-l', '/'])).at(-1)).to.equal('/ (root node)')
      expect(await lines(['find', '-l', '//bin'])).to.deep.equal(['//bin (rubbish)'])
    })

    it('refuses bad --mtime, --size and --type (51) before searching, and carries on past missing paths (53)', async function () {
      expectFailure(await mega.run(['find', '--mtime=5']), 51, /^Invalid time 5$/)
      expectFailure(await mega.run(['find', '--size=100']), 51, /^Invalid time 100$/)
      expectFailure(await mega.run(['find', '--type=x']), 51, /^Invalid type x/)
      const some = await mega.run(['find', '/nothere', '/docs/deep', 'no*'])
      expect(some.code).to.equal(53)
      expect(some.stdout).to.equal('/docs/deep/er\n/docs/deep/c.txt\n/docs/deep\n')
      expect(some.stderr).to.equal('Couldn\'t find /nothere\nno*: No such file or directory\n')
    })
  })

  describe('du and df', function () {
    it('du: a header, a row per path with the bytes below it, a dashed line and the total', async function () {
      const rule = '-'.repeat(79)
      expect(await lines(['du', '/docs', 'photos', '/empty'])).to.deep.equal([
        `${'FILENAME'.padEnd(67)}${'SIZE'.padStart(12)}`, `${'/docs:'.padEnd(67)}${'5008'.padStart(12)}`, `${'photos:'.padEnd(67)}${'6500'.padStart(12)}`,
        `${'/empty:'.padEnd(67)}${'0'.padStart(12)}`, rule, `${'Total storage used:'.padEnd(67)}${'11508'.padStart(12)}`])
      expect(await lines(['du', '-h', '--path-display-size=20'])).to.deep.equal([
        `${'FILENAME'.padEnd(20)}${'SIZE'.padStart(12)}`, `${'/:'.padEnd(20)}${'2.87 MB'.padStart(12)}`, '-'.repeat(32), `${'Total storage used:'.padEnd(20)}${'2.87 MB'.padStart(12)}`])
      expect((await lines(['du', '--path-display-size=10', '/photos/p10.jpg']))[1]).to.equal('/ph...jpg:        3000')
      expect((await lines(['du', '/p*', '/d*'])).slice(1, 3)).to.deep.equal([`${'/photos:'.padEnd(67)}${'6500'.padStart(12)}`, `${'/docs:'.padEnd(67)}${'5008'.padStart(12)}`])
    })

    it('du stops at a missing path (53) after what it printed, without a total; a pattern matching nothing is no error', async function () {
      const stopped = await mega.run(['du', '/docs', '/nothere', '/photos'])
      expect(stopped.code).to.equal(53)
      expect(stopped.stdout.split('\n').slice(0, -1)).to.deep.equal([`${'FILENAME'.padEnd(67)}${'SIZE'.padStart(12)}`, `${'/docs:'.padEnd(67)}${'5008'.padStart(12)}`])
      expect(stopped.stderr).to.equal('/nothere: No such file or directory\n')
      expect(await mega.run(['du', 'nothing*'])).to.deep.include({code: 0, stdout: ''})
    })

    it('df: each root\'s bytes, files and folders from the server, and the use against the quota', async function () {
      const report = await lines(['df'])
      expect(report).to.deep.equal([
        'Cloud drive:               3011508 in       7 file(s) and       5 folder(s)',
        'Inbox:                           0 in       0 file(s) and       0 folder(s)',
        'Rubbish bin:                     0 in       0 file(s) and       0 folder(s)',
        '-'.repeat(75),
        `USED STORAGE:              3011508  ${'0.01% of 21474836480'.padStart(39)}`,
        '-'.repeat(75),
        'Total size taken up by file versions:            0',
      ])
      expect((await lines(['df', '-h']))[0]).to.equal('Cloud drive:               2.87 MB in       7 file(s) and       5 folder(s)')
    })

    it('find and du follow what another client changes: new, moved and deleted nodes', async function () {
      const photos = storage.root.children!.find((c) => c.name === 'photos')!
      const added = await photos.mkdir('added')
      await added.upload({name: 'new.bin', size: 777}, Buffer.alloc(777, 1)).complete
      const docs = storage.root.children!.find((c) => c.name === 'docs')!
      const deep = docs.children!.find((c) => c.name === 'deep')!
      await deep.moveTo(photos)
      expect(await lines(['find', '/photos', '--type=f'])).to.deep.equal(['/photos/added/new.bin', '/photos/deep/c.txt', '/photos/p1.jpg', '/photos/p2.jpg', '/photos/p10.jpg'])
      expect((await lines(['du', '/photos', '/docs'])).slice(1, 3)).to.deep.equal([`${'/photos:'.padEnd(67)}${'7279'.padStart(12)}`, `${'/docs:'.padEnd(67)}${'5006'.padStart(12)}`])
      // du reads the totals kept per folder: those the catch-up updated equal a scan of the cache.
      expect(expectKeptTotalsMatchScan(mega.home, 'an add and a move by megajs')).to.be.greaterThan(5)
      await added.delete(true)
      await deep.moveTo(docs)
      expect(await lines(['find', '/photos', '--type=f'])).to.deep.equal(['/photos/p1.jpg', '/photos/p2.jpg', '/photos/p10.jpg'])
      expect((await lines(['du', '/docs']))[1]).to.equal(`${'/docs:'.padEnd(67)}${'5008'.padStart(12)}`)
      expectKeptTotalsMatchScan(mega.home, 'a delete and a move by megajs')
    })
  })

  describe('--use-pcre in mv, rm and get', function () {
    it('matches regular expressions per component where the same text as a wildcard matches nothing', async function () {
      const local = tempDir('pcre-files-')
      for (const name of ['x1.txt', 'x22.txt', 'y.txt']) writeFileSync(join(local, name), name)
      expectOk(await mega.run(['mkdir', '-p', '/pcre/moved']))
      expectOk(await mega.run(['put', ...['x1.txt', 'x22.txt', 'y.txt'].map((n) => join(local, n)), '/pcre']))
      expectFailure(await mega.run(['mv', '/pcre/x\\d+\\.txt', '/pcre/moved']), 53)
      expectOk(await mega.run(['mv', '--use-pcre', '/pcre/x\\d+\\.txt', '/pcre/moved']))
      expect(await lines(['find', '/pcre', '--type=f'])).to.deep.equal(['/pcre/moved/x1.txt', '/pcre/moved/x22.txt', '/pcre/y.txt'])
      const out = tempDir('pcre-get-')
      expectOk(await mega.run(['get', '--use-pcre', '/pcre/m.+/x2+\\.txt', out]))
      expect(readdirSync(out)).to.deep.equal(['x22.txt'])
      expectOk(await mega.run(['rm', '--use-pcre', '/pcre/(y|moved)/x.*', '/pcre/y\\.t.t']))
      expect(await lines(['find', '/pcre'])).to.deep.equal(['/pcre/moved', '/pcre'])
    })
  })
})
