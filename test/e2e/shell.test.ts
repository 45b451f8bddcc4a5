import {expect} from 'chai'
import {mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MEGA_BIN, MegaUser, REPO, tempDir} from '../helpers/cli.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {plainText, PtySession} from '../helpers/pty.js'
import {processIds} from '../helpers/processes.js'
import {waitFor} from '../helpers/wait.js'
import {socketPathFor} from '../../src/daemon/socket-path.cjs'

const EMAIL = 'shell@example.com'
const PASSWORD = 'shell pw'
const PROMPT_ROOT = /shell@example\.com:\/\$ $/

/**
 * The interactive shell (`mega` with no arguments on a terminal), in a real pseudo-terminal, its commands run by
 * the profile's background server against a local server whose downloads start a minute late (so a `get` is
 * still running when Ctrl-C comes). One login and one background server serve the whole suite.
 */
describe('the interactive shell', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}], {faults: 'dlslow:60000'})
  let user: MegaUser
  const shells: PtySession[] = []

  /**
   * `mega` with no arguments in a terminal (or another command line), its local cwd `cwd`; resolves once the prompt
   * shows.
   */
  async function openShell(cwd: string, command = [process.execPath, MEGA_BIN]): Promise<PtySession> {
    const shell = new PtySession(command, user.env(), {cwd})
    shells.push(shell)
    await shell.expect(PROMPT_ROOT)
    return shell
  }

  before(async function () {
    user = new MegaUser(server().url)
    await user.login(EMAIL, PASSWORD)
    const local = tempDir()
    writeFileSync(join(local, 'big.bin'), Buffer.alloc(256 * 1024, 7))
    for (const args of [['mkdir', '/folder1', '/My Folder'], ['put', join(local, 'big.bin'), '/big.bin']]) {
      const result = await user.run(args)
      expect(result.code, result.stderr).to.equal(0)
    }
  })

  afterEach(function () {
    for (const shell of shells.splice(0)) shell.kill()
  })

  after(async function () {
    if (user.serverPids().length) await user.stopServer()
  })

  it('prompts with the account and the remote cwd, which follows cd; Tab completes commands, flags, remote and local paths; lcd, lpwd, clear', async function () {
    const local = tempDir()
    mkdirSync(join(local, 'subdir'))
    const shell = await openShell(local)
    shell.type('cd fol\t')
    await shell.expect(/cd folder1\/$/)
    shell.type('\r')
    await shell.expect(/shell@example\.com:\/folder1\$ $/)
    shell.type('cd ..\r')
    await shell.expect(PROMPT_ROOT)
    // A name with a blank is escaped as it is inserted, and reads back as one word.
    shell.type('ls --show-h\t /My\t')
    await shell.expect(/ls --show-handles \/My\\ Folder\/$/)
    shell.type('\r')
    await shell.expect(PROMPT_ROOT)
    shell.type('whoa\t')
    await shell.expect(/whoami$/)
    shell.type('\r')
    await shell.expect(/Account e-mail: shell@example\.com\n/)
    await shell.expect(PROMPT_ROOT)
    shell.type('lcd sub\t')
    await shell.expect(/lcd subdir\/$/)
    shell.type('\r')
    await shell.expect(PROMPT_ROOT)
    shell.type('lpwd\r')
    await shell.expect(new RegExp(`\\n${join(local, 'subdir')}\\n`))
    await shell.expect(PROMPT_ROOT)
    // Many commands in a row run in the same warm command host: none leaves anything behind that shows.
    for (let i = 0; i < 12; i++) {
      shell.type('pwd\r')
      await shell.expect(PROMPT_ROOT)
    }
    expect(plainText(shell.output)).to.not.include('Warning')
    // clear: the cursor home, the screen below it erased.
    shell.type('clear\r')
    await shell.expect(PROMPT_ROOT)
    expect(shell.output).to.include('\x1b[1;1H\x1b[0J')
    // Ctrl-C at the prompt drops the line; Ctrl-D leaves the shell, the server still running.
    shell.type('whoami --nonsense\x03')
    await shell.expect(/\^C\n/)
    await shell.expect(PROMPT_ROOT)
    shell.type('\x04')
    await shell.expect(/\(CTRL\+D\) Exiting/)
    expect(await shell.exited).to.equal(0)
    expect(user.serverPids()).to.have.length(1)
  })

  it('runs get in the folder lcd chose; Ctrl-C cancels it (130, no partial file) and the shell goes on; SIGTERM ends it', async function () {
    const dest = tempDir('mega-dest-')
    const shell = await openShell(tempDir())
    shell.type('lcd /no/such/folder\r')
    await shell.expect(/Not a valid folder: \/no\/such\/folder\n/)
    await shell.expect(PROMPT_ROOT)
    shell.type('lcd\r')
    await shell.expect(/Usage: lcd localpath\n/)
    await shell.expect(PROMPT_ROOT)
    shell.type(`lcd ${dest}\r`)
    await shell.expect(PROMPT_ROOT)
    shell.type('get /big.bin\r')
    await waitFor('the partial file in the lcd folder', () => readdirSync(dest).some((name) => name.includes('.mega-partial-')), undefined, 15000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${shell.output}`)))
    shell.type('\x03')
    await shell.expect(/Interrupted\n/)
    await shell.expect(PROMPT_ROOT)
    expect(readdirSync(dest)).to.deep.equal([])
    shell.type('pwd\r')
    await shell.expect(/\n\/\n/)
    await shell.expect(PROMPT_ROOT)
    // SIGTERM does end the shell (only Ctrl-C is kept for its commands). It is the `mega` process working in `dest`.
    const [pid] = processIds((argv) => argv[1] === MEGA_BIN && argv.filter(Boolean).length === 2).filter((p) => readlinkSync(`/proc/${p}/cwd`) === dest)
    process.kill(pid, 'SIGTERM')
    expect(await shell.exited).to.equal(143)
  })

  it('shows MEGA CMD> when logged out; a command\'s question (login\'s password) is asked on the shell\'s terminal', async function () {
    const shell = await openShell(tempDir())
    shell.type('logout\r')
    await shell.expect(/\nMEGA CMD> $/)
    shell.type(`login ${EMAIL}\r`)
    await shell.expect(/Password:/)
    shell.type(`${PASSWORD}\r`)
    await shell.expect(PROMPT_ROOT)
    shell.type('whoami\r')
    await shell.expect(/Account e-mail: shell@example\.com\n/)
  })

  it('refuses to open without a terminal (51, one line); mega alone without one still prints the help', async function () {
    const shell = await user.run(['shell'], {input: 'pwd\n'})
    expect(shell).to.deep.include({code: 51, stdout: '', stderr: 'The shell needs a terminal: run commands as "mega <command>" or "mega-<command>"\n'})
    const bare = await user.run([])
    expect(bare.code).to.equal(0)
    expect(bare.stdout).to.match(/^USAGE/m)
  })

  it('runs its commands in-process when the server cannot be used, saying why in one line', async function () {
    const other = new MegaUser(server().url)
    mkdirSync(other.home, {recursive: true})
    const socket = join(other.home, 'server.sock')
    writeFileSync(socket, 'not a socket')
    const shell = new PtySession([process.execPath, MEGA_BIN], other.env(), {cwd: tempDir()})
    shells.push(shell)
    await shell.expect(/MEGA CMD> $/)
    shell.type('whoami\r')
    await shell.expect(new RegExp(`${socket} is not a socket\\): running the command in-process\\n`))
    await shell.expect(/Not logged in\.\n/)
    await shell.expect(/MEGA CMD> $/)
    expect(readFileSync(socket, 'utf8')).to.equal('not a socket')
    expect(other.serverPids()).to.deep.equal([])
  })

  it('opens the next command\'s connection while the line is typed; a server stopped meanwhile is started again for it', async function () {
    const shell = await openShell(tempDir())
    shell.type('pwd\r')
    await shell.expect(/\n\/\n/)
    await shell.expect(PROMPT_ROOT)
    const [first] = user.serverPids()
    // The shell's connection for its next command is open before anything is typed.
    await waitFor('the shell\'s connection to the server', () => serverConnections(user) === 1)
    await user.stopServer()
    expect(user.serverPids()).to.deep.equal([])
    shell.type('pwd\r')
    await shell.expect(/\n\/\n/)
    await shell.expect(PROMPT_ROOT)
    const [second] = user.serverPids()
    expect(second).to.be.a('number').and.not.equal(first)
  })

  it('keeps its history in the profile (0600): the up arrow recalls the last session\'s lines (in mega-cmd), history lists them; quit stops the server', async function () {
    const first = await openShell(tempDir())
    first.type('pwd\r')
    await first.expect(PROMPT_ROOT)
    first.type('quit --only-shell\r')
    expect(await first.exited).to.equal(0)
    const pid = user.serverPids()
    expect(pid, 'quit --only-shell leaves the server running').to.have.length(1)

    const historyFile = join(user.home, 'shell-history')
    expect(statSync(historyFile).mode & 0o777).to.equal(0o600)
    // MEGAcmd's name for the shell: a `mega-cmd` link to bin/shim.js, as npm installs it.
    const link = join(tempDir(), 'mega-cmd')
    symlinkSync(join(REPO, 'bin', 'shim.js'), link)
    const second = await openShell(tempDir(), [process.execPath, link])
    second.type('\x1b[A\x1b[A')
    await second.expect(/pwd$/)
    second.type('\r')
    await second.expect(/\n\/\n/)
    await second.expect(PROMPT_ROOT)
    second.type('history\r')
    await second.expect(/\n *\d+  history\n/)
    const lines = readFileSync(historyFile, 'utf8').trim().split('\n')
    const listing = lines.map((line, i) => `${String(i).padStart(String(lines.length).length)}  ${line}`).join('\n')
    expect(lines.slice(-3)).to.deep.equal(['quit --only-shell', 'pwd', 'history'])
    expect(plainText(second.output)).to.include(`\n${listing}\n`)
    await second.expect(PROMPT_ROOT)
    second.type('quit\r')
    expect(await second.exited).to.equal(0)
    await waitFor('the server to stop', () => user.serverPids().length === 0)
  })
})

/** Connections the profile's server has accepted and not closed: in /proc/net/unix they show its socket's path, connected (03). */
function serverConnections(user: MegaUser): number {
  const socket = socketPathFor(user.home, user.env())
  return readFileSync('/proc/net/unix', 'utf8').split('\n').filter((line) => {
    const fields = line.trim().split(/\s+/)
    return fields[5] === '03' && fields[7] === socket
  }).length
}
