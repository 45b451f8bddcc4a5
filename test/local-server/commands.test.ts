import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Storage} from 'megajs'
import {rawApi} from '../helpers/local-server.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** `mega local-server:*` as a user runs them: a fresh MEGA_SHELL_HOME, the built CLI, a background server. */
describe('local-server commands', function () {
  this.timeout(60_000)
  const home = mkdtempSync(join(tmpdir(), 'mega-home-'))
  const dataDir = join(home, 'local-server')

  function mega(...args: string[]): {status: number | null; stdout: string; stderr: string} {
    const result = spawnSync(process.execPath, [BIN, ...args], {env: {...process.env, MEGA_SHELL_HOME: home}, encoding: 'utf8'})
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  after(() => {
    // Whatever happened above, no background server may outlive the test.
    const infoFile = join(dataDir, 'server.json')
    if (existsSync(infoFile)) {
      try {
        process.kill((JSON.parse(readFileSync(infoFile, 'utf8')) as {pid: number}).pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    rmSync(home, {recursive: true, force: true})
  })

  it('adds accounts, runs a background server clients can use, reports it and stops it', async () => {
    let r = mega('local-server:useradd', 'Alice@Example.com', 'alice secret', '--name', 'Alice A')
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stdout).to.contain('alice@example.com')
    r = mega('local-server:useradd', 'alice@example.com', 'other')
    expect(r.status).to.not.equal(0)
    expect(r.stderr).to.contain('already exists')
    expect(mega('local-server:useradd', 'old@example.com', 'old secret', '--v1').status).to.equal(0)

    r = mega('local-server:start', '--port', '0')
    expect(r.status, r.stderr).to.equal(0)
    const [listening, hint] = r.stdout.trim().split('\n')
    const url = /^Local MEGA server listening on (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(listening)![1]
    expect(hint).to.equal(`export MEGA_API_URL=${url}`)

    r = mega('local-server:start', '--port', '0')
    expect(r.status).to.not.equal(0)
    expect(r.stderr).to.contain('already running')

    const status = JSON.parse(mega('local-server:status', '--json').stdout) as {running: boolean; url: string; accounts: number; pid: number}
    expect(status).to.include({running: true, url, accounts: 2})

    // Accounts added while the server runs are usable at once.
    expect(mega('local-server:useradd', 'carol@example.com', 'carol secret').status).to.equal(0)
    for (const [email, password] of [['alice@example.com', 'alice secret'], ['old@example.com', 'old secret'], ['carol@example.com', 'carol secret']]) {
      const storage = await new Storage({email, password, gateway: url, keepalive: false}).ready
      expect(storage.root.name).to.equal('Cloud Drive')
    }

    r = mega('local-server:stop')
    expect(r.status, r.stderr).to.equal(0)
    expect(existsSync(join(dataDir, 'server.json'))).to.equal(false)
    expect(() => process.kill(status.pid, 0)).to.throw()
    expect(JSON.parse(mega('local-server:status', '--json').stdout)).to.include({running: false, accounts: 3})
  })

  it('shows the outbox: none without a data folder, each mail as text, JSON, and a usage error for extra arguments', async () => {
    const emptyHome = mkdtempSync(join(tmpdir(), 'mega-home-'))
    let r = mega('local-server:outbox', '--data', join(emptyHome, 'none'))
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('')
    rmSync(emptyHome, {recursive: true, force: true})

    r = mega('local-server:start', '--port', '0')
    expect(r.status, r.stderr).to.equal(0)
    const url = /listening on (\S+)/.exec(r.stdout)![1]
    try {
      const storage = await new Storage({email: 'alice@example.com', password: 'alice secret', gateway: url, keepalive: false}).ready
      // An invitation is the one mail an existing account can make the server send (upc, mega-api.md §6.4).
      expect(await rawApi({url}, [{a: 'upc', u: 'dora@example.com', aa: 'a', msg: 'hello Dora'}], {sid: storage.sid!})).to.have.nested.property('[0].m', 'dora@example.com')
      await storage.api.close()
    } finally {
      expect(mega('local-server:stop').status).to.equal(0)
    }
    r = mega('local-server:outbox', 'Dora@Example.com')
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stdout).to.match(/^To: dora@example\.com\nDate: .+\nSubject: alice@example\.com has invited you to be their MEGA contact\n\n[^]*Their message: hello Dora[^]*\n\n$/)
    const mails = JSON.parse(mega('local-server:outbox', '--json').stdout) as Array<{to: string; kind: string}>
    expect(mails.map((m) => [m.to, m.kind])).to.deep.equal([['dora@example.com', 'contact-request']])
    expect(mega('local-server:outbox', 'other@example.com').stdout).to.equal('')

    r = mega('local-server:outbox', 'a@example.com', 'b@example.com')
    expect(r.status).to.equal(51)
    expect(r.stderr.trim().split('\n')).to.have.length(1)
  })
})
