import {expect} from 'chai'
import Database from 'better-sqlite3'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {waitFor} from '../helpers/wait.js'

interface Listed {
  tag: number
  direction: 'upload' | 'download'
  state: string
  bytesDone: number
  bytesTotal: number
  error?: string
}

/** The queue as `transfers --show-completed --json` gives it. */
async function queue(user: MegaUser): Promise<Listed[]> {
  return (JSON.parse(expectOk(await user.run(['transfers', '--json']))) as {transfers: Listed[]}).transfers
}

async function stateOf(user: MegaUser, tag: number): Promise<Listed | undefined> {
  return (await queue(user)).find((t) => t.tag === tag)
}

/** Waits until transfer `tag` is in `state` (and, if given, `also` holds), and returns it. */
function waitState(user: MegaUser, tag: number, state: string, also: (t: Listed) => boolean = () => true): Promise<Listed> {
  return waitFor(`transfer ${tag} ${state}`, async () => {
    const transfer = await stateOf(user, tag)
    if (transfer?.state === 'FAILED' && state !== 'FAILED') throw new Error(`transfer ${tag} failed: ${transfer.error}`)
    return transfer?.state === state && also(transfer) && transfer
  })
}

function tagsOf(stdout: string, word: 'Upload' | 'Download'): number[] {
  return [...stdout.matchAll(new RegExp(`^${word} started: Tag = (\\d+)\\. Source = .+$`, 'gm'))].map((m) => Number(m[1]))
}

describe('the transfer queue: put -q, get -q, transfers, speedlimit, get -m', function () {
  const server = localServerForSuite([{email: 'queue@example.com', password: 'queue pw'}])
  let user: MegaUser

  before(async function () {
    user = new MegaUser(server().url)
    await user.login('queue@example.com', 'queue pw')
  })

  afterEach(async function () {
    // Every test leaves the limits as it found them: unlimited.
    expectOk(await user.run(['speedlimit', '0']))
  })

  after(async function () {
    await user.stopServer()
  })

  it('put -q returns at once with the tags; the server uploads a file and a folder, byte for byte', async function () {
    const dir = tempDir()
    const file = join(dir, 'one.bin')
    const content = randomBytes(3 * 1048576 + 17)
    writeFileSync(file, content)
    mkdirSync(join(dir, 'tree', 'sub'), {recursive: true})
    const small = {a: randomBytes(1000), b: randomBytes(70000)}
    writeFileSync(join(dir, 'tree', 'a.txt'), small.a)
    writeFileSync(join(dir, 'tree', 'sub', 'b.txt'), small.b)
    expectOk(await user.run(['mkdir', '/q']))
    const put = await user.run(['put', '-q', '--print-tag-at-start', file, join(dir, 'tree'), '/q'])
    const tags = tagsOf(expectOk(put), 'Upload')
    expect(tags, put.stdout).to.have.length(2)
    expect(put.stdout).to.equal(`Upload started: Tag = ${tags[0]}. Source = ${file}\nUpload started: Tag = ${tags[1]}. Source = ${join(dir, 'tree')}\n`)
    for (const tag of tags) await waitState(user, tag, 'COMPLETED')
    const back = tempDir()
    expectOk(await user.run(['get', '/q/one.bin', back]))
    expectOk(await user.run(['get', '/q/tree', back]))
    expect(readFileSync(join(back, 'one.bin')).equals(content)).to.equal(true)
    expect(readFileSync(join(back, 'tree', 'a.txt')).equals(small.a)).to.equal(true)
    expect(readFileSync(join(back, 'tree', 'sub', 'b.txt')).equals(small.b)).to.equal(true)
    // Finished transfers show only when asked, with MEGAcmd's columns.
    expect(expectOk(await user.run(['transfers']))).to.equal('\n')
    const listing = expectOk(await user.run(['transfers', '--show-completed', '--col-separator=|']))
    expect(listing).to.contain('TYPE|TAG|SOURCEPATH|DESTINYPATH|PROGRESS|STATE\n')
    expect(listing).to.contain(`⇑|${tags[0]}|${file}|/q/one.bin|100.00% of    3.00 MB|COMPLETED\n`)
  })

  it('pauses, cancels and resumes by tag; a paused transfer stays paused across a server restart', async function () {
    const dir = tempDir()
    const files = ['p1.bin', 'p2.bin'].map((name) => join(dir, name))
    const contents = files.map(() => randomBytes(6 * 1048576))
    files.forEach((file, i) => writeFileSync(file, contents[i]))
    expectOk(await user.run(['mkdir', '/pause']))
    // 256 KiB/s: the 6 MiB files take many seconds, time enough to act on them while they run.
    expectOk(await user.run(['speedlimit', '-u', '256K']))
    const tags = tagsOf(expectOk(await user.run(['put', '-q', '--print-tag-at-start', ...files, '/pause'])), 'Upload')
    await waitState(user, tags[0], 'ACTIVE', (t) => t.bytesDone > 0)
    expect(expectOk(await user.run(['transfers', '-p', String(tags[0])]))).to.equal(`Transfer ${tags[0]} paused successfully.\n`)
    expect(expectOk(await user.run(['transfers', '-c', String(tags[1])]))).to.equal(`Transfer ${tags[1]} cancelled successfully.\n`)
    expect((await stateOf(user, tags[0]))?.state).to.equal('PAUSED')
    expect((await stateOf(user, tags[1]))?.state).to.equal('CANCELLED')
    // A finished transfer is no longer one to act on, as in MEGAcmd (the SDK forgets it).
    expectFailure(await user.run(['transfers', '-r', String(tags[1])]), 53, new RegExp(`^Could not find transfer with tag: ${tags[1]}$`))
    expectFailure(await user.run(['transfers', '-p', '999999']), 53, /^Could not find transfer with tag: 999999$/)
    expectFailure(await user.run(['transfers', '-c']), 51, /^Usage: transfers -c TAG/)
    const listing = expectOk(await user.run(['transfers']))
    expect(listing, listing).to.match(new RegExp(`^⇑ +${tags[0]} +\\S+p1.bin +/pause/p1.bin +\\d+\\.\\d\\d% of +6\\.00 MB PAUSED *$`, 'm'))
    await user.stopServer()
    expect((await stateOf(user, tags[0]))?.state, 'after a restart').to.equal('PAUSED')
    expect(expectOk(await user.run(['ls', '/pause']))).to.equal('')
    expectOk(await user.run(['speedlimit', '0']))
    expect(expectOk(await user.run(['transfers', '-r', '-a', '--only-uploads']))).to.equal('Upload transfers resumed successfully.\n')
    await waitState(user, tags[0], 'COMPLETED')
    expect(expectOk(await user.run(['ls', '/pause']))).to.equal('p1.bin\n')
    const back = tempDir()
    expectOk(await user.run(['get', '/pause/p1.bin', back]))
    expect(readFileSync(join(back, 'p1.bin')).equals(contents[0])).to.equal(true)
  })

  it('a queued download survives kill -9 of the server and finishes at its next start, verified, with no partial file left', async function () {
    const content = randomBytes(8 * 1048576 + 5)
    const source = join(tempDir(), 'killed.bin')
    writeFileSync(source, content)
    expectOk(await user.run(['put', '-c', source, '/kill/']))
    const into = tempDir()
    expectOk(await user.run(['speedlimit', '-d', '512K']))
    const [tag] = tagsOf(expectOk(await user.runClient('get', ['-q', '--print-tag-at-start', '/kill/killed.bin', into])), 'Download')
    await waitState(user, tag, 'ACTIVE', (t) => t.bytesDone > 0)
    const [pid] = user.serverPids()
    process.kill(pid, 'SIGKILL')
    await waitFor('the server gone', () => user.serverPids().length === 0)
    expect(existsSync(join(into, 'killed.bin')), 'no final file before the MAC is checked').to.equal(false)
    expectOk(await user.run(['speedlimit', '0']))
    // Any command that reaches the server starts it again; the queue runs what was interrupted.
    await waitState(user, tag, 'COMPLETED')
    expect(readdirSync(into)).to.deep.equal(['killed.bin'])
    expect(readFileSync(join(into, 'killed.bin')).equals(content)).to.equal(true)
  })

  it('speedlimit holds a foreground download to the limit, and its settings persist with MEGAcmd\'s lines', async function () {
    const content = randomBytes(6 * 1048576)
    const source = join(tempDir(), 'limited.bin')
    writeFileSync(source, content)
    expectOk(await user.run(['put', '-c', source, '/limit/']))
    expect(expectOk(await user.run(['speedlimit', '-d', '2M']))).to.equal('Download speed limit = 2097152 B/s\n')
    expect(expectOk(await user.run(['speedlimit', '-h']))).to.equal('Upload speed limit = unlimited\nDownload speed limit = 2048.00 KB/s\n')
    const into = tempDir()
    const started = performance.now()
    expectOk(await user.run(['get', '/limit/limited.bin', into]))
    const seconds = (performance.now() - started) / 1000
    // 6 MiB at 2 MiB/s: the first MiB goes at once, the other five take 2.5 s at least (without the limit: well under 1 s).
    expect(seconds).to.be.greaterThan(2.5)
    expect(readFileSync(join(into, 'limited.bin')).equals(content)).to.equal(true)
    expect(expectOk(await user.run(['speedlimit', '--download-connections', '2']))).to.equal('Download max connections = 2\n')
    expect(expectOk(await user.run(['speedlimit']))).to.equal('Upload speed limit = unlimited\nDownload speed limit = 2097152 B/s\nDownload max connections = 2\n')
    expectFailure(await user.run(['speedlimit', '-u', '1.5M']), 51, /^Invalid speed limit: 1\.5M/)
    expectFailure(await user.run(['speedlimit', '-d', '--', '-1']), 51, /^Invalid speed limit: -1/)
    expectFailure(await user.run(['speedlimit', '--upload-connections', '0']), 51, /^Invalid number of connections: 0/)
  })

  it('get -m merges a remote folder into a local one; without -m the folder arrives inside it', async function () {
    const local = tempDir()
    mkdirSync(join(local, 'photos'))
    writeFileSync(join(local, 'photos', 'mine.txt'), 'local only')
    const source = tempDir()
    mkdirSync(join(source, 'photos'))
    writeFileSync(join(source, 'photos', 'a.txt'), 'remote a')
    expectOk(await user.run(['put', '-c', join(source, 'photos'), '/merge/']))
    expectOk(await user.run(['get', '-m', '/merge/photos', join(local, 'photos')]))
    expect(readdirSync(join(local, 'photos')).sort()).to.deep.equal(['a.txt', 'mine.txt'])
    expectOk(await user.run(['get', '/merge/photos', join(local, 'photos')]))
    expect(readdirSync(join(local, 'photos')).sort()).to.deep.equal(['a.txt', 'mine.txt', 'photos'])
    writeFileSync(join(local, 'file'), 'x')
    expectFailure(await user.run(['get', '-m', '/merge/photos', join(local, 'file')]), 55, /is not a valid Download Folder$/)
  })

  it('get -q refuses links, one line, exit 51', async function () {
    expectFailure(await user.run(['get', '-q', 'https://mega.nz/file/AAAAAAAA#BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', tempDir()]), 51, /^Links cannot be queued/)
  })
})

describe('the transfer queue resumes a file cut off by kill -9 from its last confirmed chunk', function () {
  const server = localServerForSuite([{email: 'resume@example.com', password: 'resume pw'}])
  let user: MegaUser

  before(async function () {
    user = new MegaUser(server().url)
    await user.login('resume@example.com', 'resume pw')
  })

  after(async function () {
    await user.stopServer()
  })

  /** Bytes of the chunks the queue has confirmed for `tag` (its resume point in transfers.db). */
  function confirmedBytes(tag: number): number {
    const db = new Database(join(user.home, 'transfers.db'), {readonly: true, fileMustExist: true})
    try {
      const chunks = db.prepare<[number], {chunk: number}>('SELECT chunk FROM transfer_chunks WHERE tag = ?').all(tag).map((r) => r.chunk)
      // MAC chunks: 128 KiB × (i+1) for the first eight, then 1 MiB (mega-api.md §5.2).
      return chunks.reduce((sum, i) => sum + (i < 8 ? 131072 * (i + 1) : 1048576), 0)
    } finally {
      db.close()
    }
  }

  async function killServerAfterChunks(tag: number): Promise<number> {
    // 2.625 MiB are the first six chunks: enough that starting again from 0 would show at the first progress report.
    await waitFor(`transfer ${tag} past its sixth chunk`, () => confirmedBytes(tag) >= 2752512)
    process.kill(user.serverPids()[0], 'SIGKILL')
    await waitFor('the server gone', () => user.serverPids().length === 0)
    return confirmedBytes(tag)
  }

  for (const direction of ['upload', 'download'] as const) {
    it(`${direction}: the next server continues from the confirmed chunks, and the file is whole and verified`, async function () {
      const content = randomBytes(8 * 1048576 + 999)
      const local = join(tempDir(), `${direction}.bin`)
      writeFileSync(local, content)
      const into = tempDir()
      let tag: number
      if (direction === 'upload') {
        expectOk(await user.run(['mkdir', '-p', '/up']))
        expectOk(await user.run(['speedlimit', '-u', '512K']))
        ;[tag] = tagsOf(expectOk(await user.run(['put', '-q', '--print-tag-at-start', local, '/up'])), 'Upload')
      } else {
        expectOk(await user.run(['put', '-c', local, '/down/']))
        expectOk(await user.run(['speedlimit', '-d', '512K']))
        ;[tag] = tagsOf(expectOk(await user.run(['get', '-q', '--print-tag-at-start', '/down/download.bin', into])), 'Download')
      }
      const confirmed = await killServerAfterChunks(tag)
      // Still limited: from 0 again, the first report would be about a second's worth (512 KiB), not the chunks kept.
      const first = await waitState(user, tag, 'ACTIVE', (t) => t.bytesDone > 0)
      expect(first.bytesDone, 'first progress after the restart').to.be.at.least(confirmed)
      expectOk(await user.run(['speedlimit', '0']))
      await waitState(user, tag, 'COMPLETED')
      if (direction === 'upload') {
        expectOk(await user.run(['get', '/up/upload.bin', into]))
        expect(expectOk(await user.run(['ls', '/up']))).to.equal('upload.bin\n')
      }
      // The MAC was checked (get and the queue's download verify it); the bytes are the original ones.
      expect(readdirSync(into)).to.deep.equal([`${direction}.bin`])
      expect(readFileSync(join(into, `${direction}.bin`)).equals(content)).to.equal(true)
      expect(confirmedBytes(tag), 'resume point forgotten once done').to.equal(0)
    })
  }
})

describe('the transfer queue and logout', function () {
  const server = localServerForSuite([{email: 'leave@example.com', password: 'leave pw'}])

  it('logout cancels the queued transfers and leaves no partial file; the next login does not run them', async function () {
    const user = new MegaUser(server().url)
    await user.login('leave@example.com', 'leave pw')
    const source = join(tempDir(), 'slow.bin')
    writeFileSync(source, randomBytes(4 * 1048576))
    expectOk(await user.run(['put', source, '/']))
    expectOk(await user.run(['speedlimit', '-d', '256K']))
    const into = tempDir()
    const [tag] = tagsOf(expectOk(await user.run(['get', '-q', '--print-tag-at-start', '/slow.bin', into])), 'Download')
    await waitState(user, tag, 'ACTIVE', (t) => t.bytesDone > 0)
    expectOk(await user.runClient('logout', []))
    await waitFor('the transfer cancelled', async () => (await stateOf(user, tag))?.state === 'CANCELLED')
    expect(readdirSync(into)).to.deep.equal([])
    expectOk(await user.run(['speedlimit', '0']))
    await user.login('leave@example.com', 'leave pw')
    expect((await stateOf(user, tag))?.state).to.equal('CANCELLED')
    await user.stopServer()
  })
})

describe('a resumed upload whose upload URL expired meanwhile', function () {
  // Upload URLs live 4 s: long enough for the first chunks, not for the server's restart after kill -9.
  const server = localServerForSuite([{email: 'expire@example.com', password: 'expire pw'}], {faults: 'ulexpire:4000'})

  it('starts the file again on a new URL (the server answers -8), once, and the file is whole', async function () {
    const user = new MegaUser(server().url)
    await user.login('expire@example.com', 'expire pw')
    const content = randomBytes(3 * 1048576 + 11)
    const local = join(tempDir(), 'expiring.bin')
    writeFileSync(local, content)
    expectOk(await user.run(['speedlimit', '-u', '256K']))
    const [tag] = tagsOf(expectOk(await user.run(['put', '-q', '--print-tag-at-start', local, '/'])), 'Upload')
    const saved = () => {
      const db = new Database(join(user.home, 'transfers.db'), {readonly: true, fileMustExist: true})
      try {
        const chunks = db.prepare<[number], {n: number}>('SELECT COUNT(*) AS n FROM transfer_chunks WHERE tag = ?').get(tag)!.n
        const url = db.prepare<[number], {url: string | null}>('SELECT url FROM transfer_files WHERE tag = ?').get(tag)?.url
        return chunks > 0 && url
      } finally {
        db.close()
      }
    }
    const url = await waitFor('a first chunk confirmed', saved)
    process.kill(user.serverPids()[0], 'SIGKILL')
    await waitFor('the server gone', () => user.serverPids().length === 0)
    // The URL is dead once the upload server says so: an empty chunk is answered -8.
    await waitFor('the upload URL expired', async () => (await (await fetch(`${url}/0`, {method: 'POST', body: ''})).text()) === '-8')
    expectOk(await user.run(['speedlimit', '0']))
    await waitState(user, tag, 'COMPLETED')
    const into = tempDir()
    expectOk(await user.run(['get', '/expiring.bin', into]))
    expect(readFileSync(join(into, 'expiring.bin')).equals(content)).to.equal(true)
    expect(expectOk(await user.run(['ls', '/']))).to.equal('expiring.bin\n')
    await user.stopServer()
  })
})
