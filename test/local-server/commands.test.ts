import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Storage} from 'megajs'

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
})
