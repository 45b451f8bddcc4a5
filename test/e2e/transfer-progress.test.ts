import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MEGA_BIN, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {runInPty} from '../helpers/pty.js'

const EMAIL = 'bar@example.com'
const PASSWORD = 'bar pw'
/** MEGAcmd's bar (megacmd-reference.md §4 "Progress"): `TRANSFERRING ||###...||(3/6 MB:  50.00 %)`, then our rate and ETA. */
const BAR = /TRANSFERRING \|\|[#.]{10,}\|\|\([^)/]+\/[^)]+: +\d{1,3}\.\d\d %\)/
const RATE = /\) \d+\.\d\d (B|KB|MB|GB)\/s ETA \d+:\d\d/

/**
 * Foreground transfers draw MEGAcmd's progress bar on stderr when it is a terminal, whether the command runs in
 * the `mega` process or in the background server for a thin client (which forwards the terminal facts), and
 * print nothing of it into a pipe.
 */
describe('transfer progress on a terminal', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let user: MegaUser
  let local: string
  const content = randomBytes(6 * 1024 * 1024)

  before(async function () {
    user = new MegaUser(server().url)
    await user.login(EMAIL, PASSWORD)
    local = join(tempDir('mega-bar-'), 'big.bin')
    writeFileSync(local, content)
  })

  after(async function () {
    if (user?.serverPids().length) await user.stopServer()
  })

  it('put and get draw the bar in-process on a terminal, and write none into a pipe', async function () {
    const put = await runInPty([process.execPath, MEGA_BIN, 'put', local, '/up.bin'], user.env(), [])
    expect(put.code, put.output).to.equal(0)
    expect(put.output).to.match(BAR)
    const dest = tempDir('mega-bar-get-')
    const get = await runInPty([process.execPath, MEGA_BIN, 'get', '/up.bin', dest], user.env(), [])
    expect(get.code, get.output).to.equal(0)
    expect(get.output).to.match(BAR)
    expect(readFileSync(join(dest, 'up.bin')).equals(content)).to.equal(true)

    const piped = await user.run(['get', '/up.bin', tempDir('mega-bar-pipe-')])
    expect(piped.code, piped.stderr).to.equal(0)
    expect(piped.stderr).to.equal('')
    expect(piped.stdout).to.not.match(/TRANSFERRING/)
  })

  it('shows the rate and the time left once the transfer has run a moment', async function () {
    // 2 MiB/s: the 6 MiB take over two seconds, time for the bar to tell a rate.
    expectOk(await user.run(['speedlimit', '-d', '2M']))
    try {
      const get = await runInPty([process.execPath, MEGA_BIN, 'get', '/up.bin', tempDir('mega-bar-rate-')], user.env(), [])
      expect(get.code, get.output).to.equal(0)
      expect(get.output).to.match(RATE)
    } finally {
      expectOk(await user.run(['speedlimit', '0']))
    }
  })

  it('a thin client on a terminal gets the bar from the server; in a pipe it gets none', async function () {
    expectOk(await user.run(['server:start']))
    const dest = tempDir('mega-bar-client-')
    const get = await runInPty([user.clientLink('get'), '/up.bin', dest], user.env(), [])
    expect(get.code, get.output).to.equal(0)
    expect(get.output).to.match(BAR)
    expect(readFileSync(join(dest, 'up.bin')).equals(content)).to.equal(true)

    const piped = await user.runClient('get', ['/up.bin', tempDir('mega-bar-client-pipe-')])
    expect(piped.code, piped.stderr).to.equal(0)
    expect(piped.stderr).to.equal('')
    expect(user.serverPids()).to.have.length(1)
  })
})
