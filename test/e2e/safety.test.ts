import {expect} from 'chai'
import Database from 'better-sqlite3'
import {closeSync, openSync, readdirSync, writeFileSync, writeSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {startRecordingServer} from '../helpers/recording-server.js'

const ALICE = {email: 'alice@example.com', password: 'alice secret', name: 'Alice Liddell'}
const BOB = {email: 'bob@example.com', password: 'bob secret', name: 'Bob Builder'}
const LINK = /https:\/\/mega\.nz\/#confirm[A-Za-z0-9_-]+/

/** The session record a profile's cache holds (its sid is the secret that must never be shown or sent astray). */
function storedSession(user: MegaUser): {sid: string; apiUrl: string} | undefined {
  const db = new Database(join(user.home, 'cache.db'), {readonly: true})
  try {
    const row = db.prepare<[], {value: string}>("SELECT value FROM meta WHERE key = 'session'").get()
    return row && (JSON.parse(row.value) as {sid: string; apiUrl: string})
  } finally {
    db.close()
  }
}

/** Overwrites page `page` (1-based) of the profile's cache with garbage, after folding the WAL into the file. */
function damagePage(user: MegaUser, table: string): void {
  const file = join(user.home, 'cache.db')
  const db = new Database(file)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const pageSize = db.pragma('page_size', {simple: true}) as number
  const root = db.prepare<[string], {rootpage: number}>('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table)!.rootpage
  db.close()
  const fd = openSync(file, 'r+')
  writeSync(fd, randomBytes(pageSize), 0, pageSize, (root - 1) * pageSize)
  closeSync(fd)
}

describe('data safety: the remote cwd', function () {
  const server = localServerForSuite([ALICE])
  let alice: MegaUser
  let other: MegaUser

  before(async function () {
    alice = new MegaUser(server().url)
    other = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
    await other.login(ALICE.email, ALICE.password)
    const local = tempDir()
    writeFileSync(join(local, 'victim.txt'), 'keep me')
    expectOk(await alice.run(['put', join(local, 'victim.txt'), '/']))
    expectOk(await alice.run(['mkdir', '/work']))
  })

  it('a MEGA_CWD that does not resolve is an error (53), never the root: rm and put change nothing', async function () {
    const env = {MEGA_CWD: '/nonexistent'}
    expectFailure(await alice.run(['rm', '-f', 'victim.txt'], {env}), 53, /MEGA_CWD=\/nonexistent/)
    const local = tempDir()
    writeFileSync(join(local, 'new.txt'), 'x')
    expectFailure(await alice.run(['put', join(local, 'new.txt')], {env}), 53, /MEGA_CWD=\/nonexistent/)
    expectFailure(await alice.run(['pwd'], {env}), 53, /MEGA_CWD=\/nonexistent/)
    expect(expectOk(await alice.run(['ls', '/']))).to.equal('work\nvictim.txt\n')
    // Absolute paths need no cwd.
    expect(expectOk(await alice.run(['ls', '/work'], {env}))).to.equal('')
  })

  it('a cwd deleted by another client is an error naming it (53): a relative rm does not act on /', async function () {
    expectOk(await alice.run(['cd', '/work']))
    expectOk(await other.run(['rm', '-r', '-f', '/work']))
    expectFailure(await alice.run(['rm', '-f', 'victim.txt']), 53, /remote working directory \/work no longer exists/)
    expectFailure(await alice.run(['ls']), 53, /\/work no longer exists/)
    // Absolute paths still work.
    expect(expectOk(await alice.run(['ls', '/']))).to.equal('victim.txt\n')
    expectOk(await alice.run(['cd', '/']))
    expect(expectOk(await alice.run(['pwd']))).to.equal('/\n')
  })
})

describe('data safety: a change the server accepted is never reported as failed', function () {
  const server = localServerForSuite([ALICE])

  it('mkdir waits for another process holding the cache lock past the old 5 s timeout, then succeeds once', async function () {
    const alice = new MegaUser(server().url)
    const watcher = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
    await watcher.login(ALICE.email, ALICE.password)
    const holder = new Database(join(alice.home, 'cache.db'))
    holder.exec('BEGIN IMMEDIATE')
    let running
    try {
      running = alice.start(['mkdir', '/locked'])
      // The server has the folder (another profile sees it) while our cache is still locked...
      while (!expectOk(await watcher.run(['ls', '/'])).includes('locked')) {
        expect(running.child.exitCode, 'mkdir ended while the cache was locked').to.equal(null)
      }
      // ...and stays locked longer than SQLite's busy timeout, which used to end the command with 59.
      await new Promise((resolve) => setTimeout(resolve, 6000))
      expect(running.child.exitCode, 'mkdir ended while the cache was locked').to.equal(null)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
    const result = await running.done
    expect(result.code, result.stderr).to.equal(0)
    expect(expectOk(await alice.run(['ls', '/']))).to.equal('locked\n')
    expectFailure(await alice.run(['mkdir', '/locked']), 54, /Folder already exists/)
  })
})

describe('data safety: a damaged cache is rebuilt, not fatal', function () {
  const server = localServerForSuite([ALICE])

  it('a cache that is not a database: login works, and one line says what happened', async function () {
    const user = new MegaUser(server().url)
    writeFileSync(join(user.home, 'cache.db'), randomBytes(8192))
    const login = await user.run(['login', ALICE.email, ALICE.password])
    expect(login.code, login.stderr).to.equal(0)
    expect(login.stderr.trim().split('\n')).to.have.length(1)
    expect(login.stderr).to.match(/^The local cache was damaged; it was moved to cache\.db\.damaged-\d{14} and rebuilt: please log in again\.$/m)
    expect(expectOk(await user.run(['whoami']))).to.equal(`Account e-mail: ${ALICE.email}\n`)
    expect(readdirSync(user.home).filter((name) => name.startsWith('cache.db.damaged-'))).to.have.length(1)
  })

  it('with --json the notice is in the result\'s warnings, not on stderr', async function () {
    const user = new MegaUser(server().url)
    writeFileSync(join(user.home, 'cache.db'), randomBytes(8192))
    const result = await user.run(['login', ALICE.email, ALICE.password, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('')
    const json = JSON.parse(result.stdout) as {email: string; warnings: string[]}
    expect(json.email).to.equal(ALICE.email)
    expect(json.warnings).to.have.length(1)
    expect(json.warnings[0]).to.match(/^The local cache was damaged; .* please log in again\.$/)
  })

  it('a damaged node table: the session is kept, the tree fetched again, the command answers', async function () {
    const user = new MegaUser(server().url)
    await user.login(ALICE.email, ALICE.password)
    expectOk(await user.run(['mkdir', '/kept']))
    damagePage(user, 'nodes')
    const ls = await user.run(['ls', '/'])
    expect(ls.code, ls.stderr).to.equal(0)
    expect(ls.stdout).to.equal('kept\n')
    expect(ls.stderr).to.match(/^The local cache was damaged; .* the session was kept and the tree will be fetched again\.\n$/)
  })

  it('a damaged settings table: logout and login still work', async function () {
    const user = new MegaUser(server().url)
    await user.login(ALICE.email, ALICE.password)
    damagePage(user, 'meta')
    const logout = await user.run(['logout'])
    expect(logout.code).to.equal(57)
    expect(logout.stderr).to.match(/^The local cache was damaged; .* please log in again\.\nNot logged in\.\n$/)
    expectOk(await user.run(['login', ALICE.email, ALICE.password]))
    expect(expectOk(await user.run(['ls', '/']))).to.equal('kept\n')
  })
})

describe('security: the session goes to the server that issued it, and is never shown', function () {
  const server = localServerForSuite([ALICE])
  let alice: MegaUser

  before(async function () {
    alice = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
  })

  it('a MEGA_API_URL naming another server is refused (57) and that server sees no request', async function () {
    const stranger = await startRecordingServer((_req, res) => res.end('[0]'))
    try {
      expectFailure(await alice.run(['ls', '/'], {env: {MEGA_API_URL: stranger.url}}), 57, /session belongs to http:\/\/127\.0\.0\.1:\d+\/, not to MEGA_API_URL/)
      expectFailure(await alice.run(['mkdir', '/x'], {env: {MEGA_API_URL: stranger.url}}), 57)
      expect(stranger.requests).to.deep.equal([])
      // The same server under another spelling (no trailing slash) is the same server.
      expectOk(await alice.run(['ls', '/'], {env: {MEGA_API_URL: server().url.replace(/\/$/, '')}}))
    } finally {
      await stranger.close()
    }
  })

  it('an invalid MEGA_API_URL is a usage error (51) whose message holds no session id', async function () {
    const sid = storedSession(alice)!.sid
    for (const args of [['ls', '/'], ['ls', '/', '--json'], ['whoami', '-l']]) {
      const result = await alice.run(args, {env: {MEGA_API_URL: 'garbage'}})
      expect(result.code, result.stderr).to.equal(51)
      expect(result.stdout + result.stderr).to.match(/MEGA_API_URL is not a valid URL: garbage/)
      expect(result.stdout + result.stderr).not.to.include(sid)
    }
  })

  it('logout with MEGA_API_URL naming another server closes the session at its own server only', async function () {
    const stranger = await startRecordingServer((_req, res) => res.end('[0]'))
    const other = new MegaUser(server().url)
    try {
      await other.login(ALICE.email, ALICE.password)
      const session = expectOk(await other.run(['session'])).trim().split(' ').pop()!
      expectOk(await other.run(['logout'], {env: {MEGA_API_URL: stranger.url}}))
      expect(stranger.requests).to.deep.equal([])
      // The session is closed on the server that issued it: resuming it fails.
      expectFailure(await other.run(['login', session]), 15, /session is invalid/)
    } finally {
      await stranger.close()
    }
  })
})

describe('the API server: answers that are not MEGA answers', function () {
  it('an HTTP status that is not a MEGA answer is a one-line error at once (18), not a retry loop', async function () {
    const notMega = await startRecordingServer((_req, res) => {
      res.statusCode = 501
      res.end('not implemented')
    })
    try {
      const user = new MegaUser(notMega.url)
      expectFailure(await user.run(['login', ALICE.email, ALICE.password]), 18, /answered HTTP 501 Not Implemented on cs: is it a MEGA API server\?/)
      expect(notMega.requests).to.have.length(1)
    } finally {
      await notMega.close()
    }
  })

  it('Ctrl-C while the first request is under way exits 130 with one line', async function () {
    const silent = await startRecordingServer()
    try {
      const user = new MegaUser(silent.url)
      const running = user.start(['login', ALICE.email, ALICE.password])
      await silent.received(1)
      running.child.kill('SIGINT')
      const result = await running.done
      expect(result.code, result.stderr).to.equal(130)
      expect(result.stderr).to.equal('Interrupted\n')
    } finally {
      await silent.close()
    }
  })
})

describe('hostile text from other users never reaches the terminal raw', function () {
  const server = localServerForSuite([ALICE, BOB])
  let alice: MegaUser
  let bob: MegaUser
  const ESCAPES = '\x1b]0;pwned\x07\x1b[2J'

  before(async function () {
    alice = new MegaUser(server().url)
    bob = new MegaUser(server().url)
    await alice.login(ALICE.email, ALICE.password)
    await bob.login(BOB.email, BOB.password)
  })

  it('an invitation message is shown escaped by showpcr, exact in --json', async function () {
    expectOk(await bob.run(['invite', ALICE.email, `--message=hello ${ESCAPES} there`]))
    const text = expectOk(await alice.run(['showpcr', '--in']))
    expect(text).not.to.include('\x1b')
    expect(text).to.include('\tInvitation message: hello \\e]0;pwned\\a\\e[2J there\n')
    const json = JSON.parse(expectOk(await alice.run(['showpcr', '--in', '--json']))) as {incoming: Array<{msg: string}>}
    expect(json.incoming[0].msg).to.equal(`hello ${ESCAPES} there`)
  })

  it("a contact's name is shown escaped by users -n", async function () {
    expectOk(await alice.run(['ipc', BOB.email, '-a']))
    expectOk(await bob.run(['userattr', '-s', 'firstname', `Bob${ESCAPES}`]))
    const text = expectOk(await alice.run(['users', '-n']))
    expect(text).not.to.include('\x1b')
    expect(text).to.include('[Bob\\e]0;pwned\\a\\e[2J Builder] bob@example.com')
  })

  it('node names with escapes and newlines are one escaped line each in ls and ls -l, exact in --json', async function () {
    const name = `two\nlines${ESCAPES}`
    expectOk(await alice.run(['mkdir', `/${name}`]))
    const escaped = 'two\\nlines\\e]0;pwned\\a\\e[2J'
    expect(expectOk(await alice.run(['ls', '/']))).to.equal(`${escaped}\n`)
    const long = expectOk(await alice.run(['ls', '-l', '/'])).split('\n')
    expect(long).to.have.length(3)
    expect(long[1]).to.match(new RegExp(` ${escaped.replace(/[\\[\]]/g, '\\$&')}$`))
    const json = JSON.parse(expectOk(await alice.run(['ls', '/', '--json']))) as {entries: Array<{name: string}>}
    expect(json.entries.map((e) => e.name)).to.deep.equal([name])
    expectOk(await alice.run(['cd', `/${name}`]))
    expect(expectOk(await alice.run(['pwd']))).to.equal(`/${escaped}\n`)
  })
})

describe('bad input to account commands', function () {
  const server = localServerForSuite([ALICE])
  let alice: MegaUser

  before(async function () {
    alice = new MegaUser(server().url)
  })

  it('empty passwords are refused (51) before any request, by login, signup, confirm and passwd', async function () {
    expectFailure(await alice.run(['login', ALICE.email, '']), 51, /^The password cannot be empty$/)
    expectFailure(await alice.run(['signup', 'empty@example.com', '']), 51, /^The password cannot be empty$/)
    const outbox = JSON.parse(expectOk(await alice.run(['local-server:outbox', 'empty@example.com', '--data', server().dataDir, '--json'])))
    expect(outbox).to.deep.equal([])
    await alice.login(ALICE.email, ALICE.password)
    expectFailure(await alice.run(['passwd', '-f', '']), 51, /^The new password cannot be empty$/)
    expectFailure(await alice.run(['passwd', '']), 51, /^The new password cannot be empty$/)
    expectFailure(await alice.run(['passwd', '', 'new pass']), 51, /^The current password cannot be empty$/)
    expectFailure(await alice.run(['passwd', ALICE.password, '']), 51, /^The new password cannot be empty$/)
    // Nothing changed: the password still works.
    const check = new MegaUser(server().url)
    await check.login(ALICE.email, ALICE.password)
  })

  it('signup, confirm and passwd read MEGA_PASSWORD and MEGA_NEW_PASSWORD; confirm refuses an empty one', async function () {
    const user = new MegaUser(server().url)
    expectOk(await user.run(['signup', 'envy@example.com', '--name=En Vy'], {env: {MEGA_PASSWORD: 'env pass 1'}}))
    const mails = JSON.parse(expectOk(await user.run(['local-server:outbox', 'envy@example.com', '--data', server().dataDir, '--json']))) as Array<{body: string}>
    const link = mails[0].body.match(LINK)![0]
    expectFailure(await user.run(['confirm', link, 'envy@example.com', '']), 51, /^The password cannot be empty$/)
    expectOk(await user.run(['confirm', link, 'envy@example.com'], {env: {MEGA_PASSWORD: 'env pass 1'}}))
    expectOk(await user.run(['login', 'envy@example.com'], {env: {MEGA_PASSWORD: 'env pass 1'}}))
    // With MEGA_PASSWORD the current password is checked first: a wrong one changes nothing.
    expectFailure(await user.run(['passwd', '-f'], {env: {MEGA_PASSWORD: 'wrong', MEGA_NEW_PASSWORD: 'env pass 2'}}), 9)
    expectOk(await user.run(['passwd', '-f'], {env: {MEGA_PASSWORD: 'env pass 1', MEGA_NEW_PASSWORD: 'env pass 2'}}))
    const check = new MegaUser(server().url)
    expectFailure(await check.run(['login', 'envy@example.com', 'env pass 1']), 9)
    await check.login('envy@example.com', 'env pass 2')
  })

  it('userattr -s without a value is a usage error (51) and changes nothing', async function () {
    expectFailure(await alice.run(['userattr', '-s', 'firstname']), 51, /^Missing the value/)
    expect(expectOk(await alice.run(['userattr', 'firstname']))).to.equal('\tFIRSTNAME (firstname) = Alice\n')
  })

  it('an extra argument to a command that takes none is "Unexpected argument" (51)', async function () {
    expectFailure(await alice.run(['pwd', 'extra']), 51, /^Unexpected argument: extra \(see "mega pwd --help"\)$/)
    expectFailure(await alice.run(['whoami', 'extra']), 51, /^Unexpected argument: extra/)
    expectFailure(await alice.run(['browse', 'pwd', 'extra']), 51, /^Unexpected argument: extra/)
    expectFailure(await alice.run(['nope']), 51, /^Command not found: nope/)
  })
})
