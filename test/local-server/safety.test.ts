import {expect} from 'chai'
import {chmodSync, existsSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join, relative} from 'node:path'
import {b64decode, b64encode, deriveKeysV2} from '@mega-shell/core'
import {currentStep, totpCode} from '../../plugins/local-server/dist/index.js'
import {MegaUser, runProcess, tempDir, type CliResult} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {addUser, rawApi, SERVER_MAIN, serverProcessIds, startLocalServer, type TestServer} from '../helpers/local-server.js'

/** `local-server:*` commands need no API; the URL only completes the user's environment. */
const NO_API = 'http://127.0.0.1:1/'

/** Kills whatever server a failed test left on these folders. */
function killServers(dataDirs: string[]): void {
  for (const dir of dataDirs) {
    for (const pid of serverProcessIds(dir)) process.kill(pid, 'SIGKILL')
  }
}

/** Files 0600 and folders 0700, for everything under `root`. */
function expectPrivate(found: Map<string, number>, root: string): void {
  for (const [name, mode] of found) {
    const wanted = statSync(join(root, name)).isDirectory() ? 0o700 : 0o600
    expect(mode.toString(8), name).to.equal(wanted.toString(8))
  }
}

/** Every file and folder under `dir`, relative to it, with its permission bits. */
function modes(dir: string): Map<string, number> {
  const found = new Map<string, number>()
  const walk = (path: string) => {
    for (const entry of readdirSync(path, {withFileTypes: true})) {
      const full = join(path, entry.name)
      found.set(relative(dir, full), statSync(full).mode & 0o777)
      if (entry.isDirectory()) walk(full)
    }
  }
  walk(dir)
  return found
}

describe('local server: data safety', function () {
  this.timeout(90_000)

  describe('one server per data folder', () => {
    const dataDirs: string[] = []
    after(() => killServers(dataDirs))

    it('three concurrent local-server:start on one folder: one server runs, the others say why in one line (exit 54), and stop leaves nothing running', async () => {
      const dataDir = join(tempDir(), 'data')
      dataDirs.push(dataDir)
      const user = new MegaUser(NO_API)
      const starts = await Promise.all([1, 2, 3].map(() => user.run(['local-server:start', '--port', '0', '--data', dataDir])))

      const started = starts.filter((r) => r.code === 0)
      expect(started, starts.map((r) => `${r.code}: ${r.stdout}${r.stderr}`).join('\n')).to.have.length(1)
      const url = /listening on (\S+)/.exec(started[0].stdout)![1]
      for (const refused of starts.filter((r) => r !== started[0])) {
        expectFailure(refused, 54, new RegExp(`^A local server is already running for ${dataDir}`))
        expect(refused.stdout).to.equal('')
      }
      const status = JSON.parse(expectOk(await user.run(['local-server:status', '--json', '--data', dataDir]))) as {pid: number; url: string}
      expect(status.url).to.equal(url)
      expect(serverProcessIds(dataDir), 'server processes on the folder').to.deep.equal([status.pid])

      expectOk(await user.run(['local-server:stop', '--data', dataDir]))
      expect(serverProcessIds(dataDir)).to.deep.equal([])
      expect(existsSync(join(dataDir, 'server.json'))).to.equal(false)
    })

    it('a second server process on a running folder exits 54 naming it and the running one; accounts are still added meanwhile; kill -9 frees the folder', async () => {
      const server = await startLocalServer()
      try {
        const second = await runProcess(process.execPath, [SERVER_MAIN, '--port', '0', '--data', server.dataDir], process.env, {timeoutMs: 15_000})
        expectFailure(second, 54)
        expect(second.stderr).to.contain(server.dataDir).and.contain(`pid ${server.pid}`).and.contain(server.url)
        expect(second.stdout).to.equal('')

        const user = new MegaUser(server.url)
        expectOk(await user.run(['local-server:useradd', 'late@example.com', 'late secret', '--data', server.dataDir]))
        await user.login('late@example.com', 'late secret')

        await server.crash()
        await server.restart()
        expect(serverProcessIds(server.dataDir)).to.deep.equal([server.pid])
        await new MegaUser(server.url).login('late@example.com', 'late secret')
      } finally {
        await server.stop()
      }
    })
  })

  describe('file modes', () => {
    let umask: number
    const dataDirs: string[] = []
    // The usual umask, under which SQLite and plain writes make files others can read.
    before(() => (umask = process.umask(0o022)))
    after(() => {
      process.umask(umask)
      killServers(dataDirs)
    })

    it('every file the server and useradd write in an existing 0755 data folder is 0600; folders they create are 0700', async () => {
      const dataDir = tempDir('mega-data-')
      chmodSync(dataDir, 0o755)
      const freshDir = join(tempDir(), 'new', 'data')
      dataDirs.push(dataDir, freshDir)
      const admin = new MegaUser(NO_API)
      const started = expectOk(await admin.run(['local-server:start', '--port', '0', '--data', dataDir]))
      const url = /listening on (\S+)/.exec(started)![1]
      expectOk(await admin.run(['local-server:useradd', 'alice@example.com', 'alice secret', '--data', dataDir]))
      const alice = new MegaUser(url)
      await alice.login('alice@example.com', 'alice secret')
      const local = join(tempDir(), 'report.txt')
      writeFileSync(local, 'quarterly numbers\n')
      expectOk(await alice.run(['put', local, '/']))

      const running = modes(dataDir)
      expectPrivate(running, dataDir)
      for (const name of ['server.db', 'server.db-wal', 'server.db-shm', 'server.json', 'server.log', 'server.lock', 'blobs']) {
        expect(running.has(name), `${name} in ${[...running.keys()].join(', ')}`).to.equal(true)
      }
      expect([...running.keys()].filter((name) => /^blobs\/[^/]+\/[^/]+$/.test(name)), 'the uploaded ciphertext').to.have.length(1)
      expectOk(await admin.run(['local-server:stop', '--data', dataDir]))
      expectPrivate(modes(dataDir), dataDir)
      expect(statSync(dataDir).mode & 0o777, "the user's own folder keeps its mode").to.equal(0o755)

      // A data folder the server creates, parents included, is owner-only too.
      expectOk(await admin.run(['local-server:useradd', 'bob@example.com', 'bob secret', '--data', freshDir]))
      for (const dir of [join(freshDir, '..'), freshDir]) expect((statSync(dir).mode & 0o777).toString(8), dir).to.equal('700')
      expectPrivate(modes(freshDir), freshDir)
    })
  })

  describe('login throttle', () => {
    const WINDOW_S = 10
    let server: TestServer
    const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP'
    before(async () => {
      server = await startLocalServer({env: {MEGA_LOCAL_SERVER_LOGIN_THROTTLE: `3/${WINDOW_S}`}})
      await addUser(server, 'alice@example.com', 'alice secret')
      await addUser(server, 'bob@example.com', 'bob secret')
      await addUser(server, 'mfa@example.com', 'mfa secret', {totpSecret: TOTP_SECRET})
    })
    after(() => server?.stop())

    /** The `uh` a v2 login sends for this password (mega-api.md §2.2). */
    async function loginHash(email: string, password: string): Promise<string> {
      const [pre] = await rawApi(server, [{a: 'us0', user: email}]) as [{s: string}]
      return b64encode(deriveKeysV2(password, b64decode(pre.s)).authKey)
    }
    const us = (email: string, uh: string, extra: object = {}) => rawApi(server, [{a: 'us', user: email, uh, ...extra}])

    it('after a burst of wrong passwords one account answers ETOOMANY in its reply slot while another logs in; the right password works once the window passed', async () => {
      const right = await loginHash('alice@example.com', 'alice secret')
      const wrong = await loginHash('alice@example.com', 'guess')
      for (let i = 0; i < 3; i++) expect(await us('alice@example.com', wrong), `guess ${i + 1}`).to.deep.equal([-9])
      const lockedAt = Date.now()
      // In the command's slot, not a bare -3/-4, which clients retry for half a minute instead of reporting.
      expect(await us('alice@example.com', right), 'the right password, while locked').to.deep.equal([-6])

      const [aliceLogin, bobLogin]: CliResult[] = await Promise.all([
        new MegaUser(server.url).run(['login', 'alice@example.com', 'alice secret']),
        new MegaUser(server.url).run(['login', 'bob@example.com', 'bob secret']),
      ])
      expectFailure(aliceLogin, 6, /too many/i)
      expectOk(bobLogin)
      expect(Date.now() - lockedAt, 'the CLI logins ran inside the window').to.be.below(WINDOW_S * 1000)

      // Locked attempts neither count nor extend the lock: poll with the right password until it is let in.
      let reply = await us('alice@example.com', right)
      while (JSON.stringify(reply) === '[-6]') {
        await new Promise((resolve) => setTimeout(resolve, 100))
        reply = await us('alice@example.com', right)
      }
      expect(reply).to.have.nested.property('[0].k')
      expect(Date.now() - lockedAt, 'locked for the whole window').to.be.at.least(WINDOW_S * 1000 - 500)
      await new MegaUser(server.url).login('alice@example.com', 'alice secret')
    })

    it('wrong two-factor codes count as guesses too', async () => {
      const right = await loginHash('mfa@example.com', 'mfa secret')
      const step = currentStep()
      const wrongCode = totpCode(TOTP_SECRET, step + 100)
      for (let i = 0; i < 3; i++) expect(await us('mfa@example.com', right, {mfa: wrongCode})).to.deep.equal([-5])
      expect(await us('mfa@example.com', right, {mfa: totpCode(TOTP_SECRET, step)})).to.deep.equal([-6])
    })
  })

  describe('local-server:start failures', () => {
    let busy: Server
    let busyPort: number
    const dataDirs: string[] = []
    before(async () => {
      busy = createServer()
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
      busyPort = (busy.address() as {port: number}).port
    })
    after(() => {
      busy.close()
      killServers(dataDirs)
    })

    const ways: Array<[string, (args: string[]) => Promise<CliResult>]> = [
      ['local-server:start', (args) => new MegaUser(NO_API).run(['local-server:start', ...args], {timeoutMs: 20_000})],
      ['local-server:start --foreground', (args) => new MegaUser(NO_API).run(['local-server:start', '--foreground', ...args], {timeoutMs: 20_000})],
      ['node main.js', (args) => runProcess(process.execPath, [SERVER_MAIN, ...args], process.env, {timeoutMs: 20_000})],
    ]
    for (const [way, start] of ways) {
      it(`${way}: a port in use (54), a host not of this machine (51), a data path that is a file (55), each in one line`, async () => {
        const dataDir = join(tempDir(), 'data')
        const file = join(tempDir(), 'a-file')
        writeFileSync(file, 'not a folder')
        dataDirs.push(dataDir, file)
        expectFailure(await start(['--port', String(busyPort), '--data', dataDir]), 54, new RegExp(`Port ${busyPort} is already in use`))
        expectFailure(await start(['--port', '0', '--host', '192.0.2.1', '--data', dataDir]), 51, /192\.0\.2\.1: not an address of this machine/)
        expectFailure(await start(['--port', '0', '--data', file]), 55, /is not a folder/)
        expect(serverProcessIds(dataDir)).to.deep.equal([])
      })
    }
  })

  it('a data folder this user may not create is refused with 56 in one line, and no server runs', async () => {
    // Root creates folders anywhere: as root the server runs as nobody, below a folder only root may write to.
    const parent = tempDir()
    chmodSync(parent, 0o500)
    const dataDir = join(parent, 'data')
    const asUser = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {}
    const result = await runProcess(process.execPath, [SERVER_MAIN, '--port', '0', '--data', dataDir], process.env, {timeoutMs: 20_000, ...asUser})
    chmodSync(parent, 0o700)
    expectFailure(result, 56, new RegExp(`Cannot create the data folder ${dataDir}: permission denied`))
    expect(existsSync(dataDir)).to.equal(false)
    expect(serverProcessIds(dataDir)).to.deep.equal([])
  })

  it('local-server:start --foreground stops cleanly on Ctrl-C: the stop line, exit 0, the folder free again', async () => {
    const dataDir = join(tempDir(), 'data')
    const running = new MegaUser(NO_API).start(['local-server:start', '--foreground', '--port', '0', '--data', dataDir])
    await new Promise<void>((resolve) => {
      let seen = ''
      running.child.stdout!.on('data', (text: string) => {
        seen += text
        if (/^export MEGA_API_URL=/m.test(seen)) resolve()
      })
    })
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/Local MEGA server stopped \(SIGINT\)\n$/)
    expect(existsSync(join(dataDir, 'server.json'))).to.equal(false)
  })

  it('local-server:useradd refuses an empty password (exit 51, one line) and writes nothing', async () => {
    const dataDir = join(tempDir(), 'data')
    expectFailure(await new MegaUser(NO_API).run(['local-server:useradd', 'eve@example.com', '', '--data', dataDir]), 51, /password cannot be empty/)
    expect(existsSync(dataDir)).to.equal(false)
  })
})
