import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {waitFor} from '../helpers/wait.js'

/** Writes `files` (relative path → content) under `root`, creating folders; returns `root`. */
function writeTree(root: string, files: Record<string, Buffer | string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), {recursive: true})
    writeFileSync(join(root, path), content)
  }
  return root
}

/** Every file under `dir`, as relative path → content. */
function readTree(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, {withFileTypes: true})) {
      const child = join(path, entry.name)
      if (entry.isDirectory()) walk(child)
      else files[relative(dir, child)] = readFileSync(child)
    }
  }
  walk(dir)
  return files
}

async function loggedIn(url: string, email: string, password: string): Promise<MegaUser> {
  const user = new MegaUser(url)
  await user.login(email, password)
  return user
}

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
