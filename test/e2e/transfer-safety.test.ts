import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite, serverFolderCount} from '../helpers/local-server.js'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {unreadableFor} from '../helpers/unprivileged.js'
import {readTree, writeTree} from '../helpers/local-files.js'
import {waitFor} from '../helpers/wait.js'



async function loggedIn(url: string, email: string, password: string): Promise<MegaUser> {
  const user = new MegaUser(url)
  await user.login(email, password)
  return user
}

describe('commands of one profile creating the same paths at once', function () {
  // Every API request answers 400 ms late, so commands started together all look before any of them creates.
  const server = localServerForSuite([{email: 'ann@example.com', password: 'ann pw'}], {faults: 'slow:400'})
  let user: MegaUser

  before(async function () {
    user = await loggedIn(server().url, 'ann@example.com', 'ann pw')
  })

  it('four mkdir -p of one path make each folder once; the others answer 54 "Folder already exists"', async function () {
    const results = await Promise.all([1, 2, 3, 4].map(() => user.run(['mkdir', '-p', '/r/a/b'])))
    expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('')).to.deep.equal([0, 54, 54, 54])
    for (const result of results.filter((r) => r.code === 54)) expectFailure(result, 54, /^Folder already exists: b$/)
    expect(expectOk(await user.run(['ls', '-R', '/']))).to.equal('r\n\ta\n\t\tb\n')
  })

  it('three puts of one tree make each folder and each file once, with the right bytes', async function () {
    const files: Record<string, Buffer> = {}
    for (let i = 0; i < 8; i++) files[`f${i}.bin`] = randomBytes(100 + i)
    for (let i = 0; i < 6; i++) files[join('x', `g${i}.bin`)] = randomBytes(200 + i)
    for (let i = 0; i < 4; i++) files[join('x', 'y', `h${i}.bin`)] = randomBytes(300 + i)
    for (let i = 0; i < 2; i++) files[join('z', `k${i}.bin`)] = randomBytes(400 + i)
    const tree = writeTree(join(tempDir(), 'tree'), files)
    expectOk(await user.run(['mkdir', '/c']))
    const results = await Promise.all([1, 2, 3].map(() => user.run(['put', tree, '/c/'])))
    for (const result of results) expect(expectOk(result)).to.equal('Upload finished: /c/tree\n')
    const listing = expectOk(await user.run(['ls', '-R', '/c'])).trim().split('\n').map((line) => line.trim())
    // 20 files and 4 folders (tree, x, x/y, z), each once.
    expect(listing).to.have.length(24)
    expect(new Set(listing).size).to.equal(24)
    const back = tempDir()
    expectOk(await user.run(['get', '/c/tree', back]))
    expect(readTree(join(back, 'tree'))).to.deep.equal(files)
  })

  it('three put -c into the same missing folder create it once', async function () {
    const local = writeTree(tempDir(), {'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c'})
    const results = await Promise.all(['a', 'b', 'c'].map((name) => user.run(['put', '-c', join(local, `${name}.txt`), '/new/dir/'])))
    for (const result of results) expectOk(result)
    expect(expectOk(await user.run(['ls', '-R', '/new']))).to.equal('dir\n\ta.txt\n\tb.txt\n\tc.txt\n')
  })
})

describe('folder uploads with files that cannot go up', function () {
  const server = localServerForSuite([{email: 'bob@example.com', password: 'bob pw'}])

  it('an unreadable file: everything else goes up, the file is reported, exit 56', async function () {
    const user = await loggedIn(server().url, 'bob@example.com', 'bob pw')
    const local = tempDir()
    const files = {'a.txt': 'alpha', [join('sub', 'b.txt')]: 'beta', [join('sub', 'deeper', 'c.txt')]: 'gamma', 'd.txt': 'delta'}
    const tree = writeTree(join(local, 'tree'), {...files, [join('sub', 'locked.txt')]: 'secret'})
    const locked = join(tree, 'sub', 'locked.txt')
    const result = await user.run(['put', tree, '/'], unreadableFor(locked, [user.home, local]))
    expect(result.code, result.stderr).to.equal(56)
    expect(result.stdout).to.equal('Upload finished: /tree\n')
    expect(result.stderr).to.equal(`Unable to upload ${locked}: Permission denied\n`)
    // Checked from a second profile: the first one's home now belongs to the unprivileged user.
    const checker = await loggedIn(server().url, 'bob@example.com', 'bob pw')
    expect(expectOk(await checker.run(['ls', '-R', '/tree']))).to.equal(
      'sub\n\tdeeper\n\t\tc.txt\n\tb.txt\na.txt\nd.txt\n')
    const back = tempDir()
    expectOk(await checker.run(['get', '/tree', back]))
    expect(readTree(join(back, 'tree'))).to.deep.equal(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, Buffer.from(text)])))
  })

  it('a name that is not UTF-8: left out and reported (55, and in --json), everything else goes up', async function () {
    const user = await loggedIn(server().url, 'bob@example.com', 'bob pw')
    const tree = writeTree(join(tempDir(), 'bytes'), {'a.txt': 'alpha', [join('sub', 'b.txt')]: 'beta'})
    writeFileSync(Buffer.concat([Buffer.from(`${tree}/`), Buffer.from([0x66, 0xff, 0x2e, 0x74])]), 'not text')
    const shown = join(tree, 'f\\xff.t')
    const reason = 'its name is not valid UTF-8 (MEGA names are UTF-8)'
    const json = await user.run(['put', tree, '/', '--json'])
    expect(json.code, json.stderr).to.equal(55)
    const result = JSON.parse(json.stdout) as {uploaded: Array<{remote: string}>; failures: unknown[]}
    expect(result.uploaded.map((u) => u.remote)).to.deep.equal(['/bytes'])
    expect(result.failures).to.deep.equal([{local: shown, reason, exitCode: 55}])
    expect(expectOk(await user.run(['ls', '-R', '/bytes']))).to.equal('sub\n\tb.txt\na.txt\n')
    const back = tempDir()
    expectOk(await user.run(['get', '/bytes', back]))
    expect(readTree(join(back, 'bytes'))).to.deep.equal({'a.txt': Buffer.from('alpha'), [join('sub', 'b.txt')]: Buffer.from('beta')})
    // Again without --json: the identical files are not sent twice, the left-out one is reported again.
    const plain = await user.run(['put', tree, '/'])
    expect(plain.code).to.equal(55)
    expect(plain.stderr).to.equal(`Unable to upload ${shown}: ${reason}\n`)
  })

  it('put file /existing-file/ (a folder, by its slash) is refused with 55 and adds nothing', async function () {
    const user = await loggedIn(server().url, 'bob@example.com', 'bob pw')
    const file = join(writeTree(tempDir(), {'note.txt': 'note'}), 'note.txt')
    expectOk(await user.run(['mkdir', '/slash']))
    expectOk(await user.run(['put', file, '/slash/']))
    writeFileSync(file, 'changed')
    expectFailure(await user.run(['put', file, '/slash/note.txt/']), 55, /^Destination is not valid \(expected folder or alike\)$/)
    expect(expectOk(await user.run(['ls', '/slash']))).to.equal('note.txt\n')
  })
})

describe('downloads of remote names that cannot exist locally', function () {
  const server = localServerForSuite([{email: 'cid@example.com', password: 'cid pw'}])
  // 5,000 bytes of UTF-8 (two bytes a character): far beyond the 255 bytes a local name may have.
  const LONG = 'é'.repeat(2500)

  it('shortens over-long names, renames a folder a local file holds, reports each, and stays inside the target', async function () {
    const user = await loggedIn(server().url, 'cid@example.com', 'cid pw')
    const local = writeTree(tempDir(), {'one.txt': 'one', 'two.txt': 'two', 'three.txt': 'three'})
    expectOk(await user.run(['mkdir', '-p', `/d/${LONG}/inner`, '/d/clash']))
    expectOk(await user.run(['put', join(local, 'one.txt'), `/d/${LONG}.txt`]))
    expectOk(await user.run(['put', join(local, 'two.txt'), `/d/${LONG}/inner/`]))
    expectOk(await user.run(['put', join(local, 'three.txt'), '/d/clash/']))

    const outside = tempDir()
    const dest = join(outside, 'dest')
    writeTree(dest, {[join('d', 'clash')]: 'a local file, not a folder'})
    const result = await user.run(['get', '/d', dest])
    expect(expectOk(result)).to.equal(`Download finished: ${join(dest, 'd')}\n`)

    const names = readdirSync(join(dest, 'd'))
    const folder = names.find((name) => name.startsWith('é') && statSync(join(dest, 'd', name)).isDirectory())!
    const file = names.find((name) => name.startsWith('é') && name.endsWith('.txt'))!
    for (const name of [folder, file]) {
      expect(Buffer.byteLength(name)).to.be.within(200, 255)
      expect(LONG.startsWith(name.replace(/\.txt$/, '')), name).to.equal(true)
    }
    expect(names.sort()).to.deep.equal(['clash', 'clash (1)', file, folder].sort())
    expect(result.stderr.trim().split('\n').sort()).to.deep.equal([
      `Saved /d/clash as ${join(dest, 'd', 'clash (1)')}: a local file has this name`,
      `Saved /d/${LONG} as ${join(dest, 'd', folder)}: name too long for the local file system`,
      `Saved /d/${LONG}.txt as ${join(dest, 'd', file)}: name too long for the local file system`,
    ].sort())
    expect(readTree(join(dest, 'd'))).to.deep.equal({
      clash: Buffer.from('a local file, not a folder'),
      [join('clash (1)', 'three.txt')]: Buffer.from('three'),
      [join(folder, 'inner', 'two.txt')]: Buffer.from('two'),
      [file]: Buffer.from('one'),
    })
    expect(readdirSync(outside)).to.deep.equal(['dest'])

    // --json carries the same report; a second download merges into what the first made.
    const json = await user.run(['get', '/d', dest, '--json'])
    const renamed = (JSON.parse(expectOk(json)) as {renamed: Array<{remote: string; reason: string}>}).renamed
    expect(renamed.map((r) => `${r.remote}: ${r.reason}`).sort()).to.deep.equal([
      '/d/clash: a local file has this name',
      `/d/${LONG}: name too long for the local file system`,
      `/d/${LONG}.txt: name too long for the local file system`,
    ].sort())
    expect(json.stderr).to.equal('')
    expect(Object.keys(readTree(join(dest, 'd')))).to.have.length(4)
  })
})

describe('interrupted transfers leave nothing behind', function () {
  describe('Ctrl-C during a folder upload', function () {
    // Every API request answers 500 ms late: once a folder exists on the server, its first file needs two
    // more requests (`u`, then `p`) before it is there, time enough to interrupt.
    const server = localServerForSuite([{email: 'dee@example.com', password: 'dee pw'}], {faults: 'slow:500'})

    it('removes the folders it created that received no file, and keeps the others', async function () {
      const user = await loggedIn(server().url, 'dee@example.com', 'dee pw')
      const local = writeTree(tempDir(), {
        [join('first', '1.txt')]: 'one', [join('first', '2.txt')]: 'two',
        [join('second', 'sub', '3.txt')]: 'three', [join('second', '4.txt')]: 'four',
      })
      expectOk(await user.run(['mkdir', '/dest']))
      const before = serverFolderCount(server())
      const running = user.start(['put', '-c', join(local, 'first'), join(local, 'second'), '/dest/new/'])
      // new (-c), first, second and second/sub: the second source's folders exist, none of its files yet.
      await waitFor('the folders of the second source on the server', () => serverFolderCount(server()) === before + 4, running.done)
      running.child.kill('SIGINT')
      const result = await running.done
      expect(result.code, result.stderr).to.equal(130)
      expect(result.stdout).to.equal('Upload finished: /dest/new/first\n')
      expect(result.stderr).to.equal('Interrupted\n')
      expect(expectOk(await user.run(['ls', '-R', '/dest']))).to.equal('new\n\tfirst\n\t\t1.txt\n\t\t2.txt\n')
    })
  })

  describe('a download killed with SIGKILL', function () {
    // Download data answers 20 s late: every download started here is still running when the test stops it.
    const server = localServerForSuite([{email: 'eve@example.com', password: 'eve pw'}], {faults: 'dlslow:20000'})

    it('leaves a partial file that the next download into the folder removes, never one of a live download', async function () {
      const user = await loggedIn(server().url, 'eve@example.com', 'eve pw')
      const local = writeTree(tempDir(), {'f1.bin': randomBytes(1000), 'f2.bin': randomBytes(1000), 'f3.bin': randomBytes(1000)})
      expectOk(await user.run(['put', join(local, 'f1.bin'), join(local, 'f2.bin'), join(local, 'f3.bin'), '/']))
      const dest = tempDir()
      const partialOf = (name: string) => readdirSync(dest).find((entry) => entry.startsWith(`.${name}.mega-partial-`))
      const download = (name: string) => {
        const running = user.start(['get', `/${name}`, dest])
        return {running, partial: waitFor(`the partial file of ${name}`, () => partialOf(name), running.done)}
      }

      const killed = download('f1.bin')
      const stale = await killed.partial
      expect(stale).to.include(`.mega-partial-${killed.running.child.pid}-`)
      killed.running.child.kill('SIGKILL')
      await killed.running.done
      expect(readdirSync(dest)).to.deep.equal([stale])

      // Its partial file appears once the download swept the folder.
      const second = download('f2.bin')
      const live = await second.partial
      expect(existsSync(join(dest, stale)), 'the dead download\'s partial file').to.equal(false)
      const third = download('f3.bin')
      await third.partial
      expect(existsSync(join(dest, live)), 'the live download\'s partial file').to.equal(true)

      second.running.child.kill('SIGINT')
      third.running.child.kill('SIGINT')
      const results: CliResult[] = [await second.running.done, await third.running.done]
      for (const result of results) expect(result.code, result.stderr).to.equal(130)
      expect(readdirSync(dest)).to.deep.equal([])
    })
  })
})
