import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createConnection, createServer} from 'node:net'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {type CliResult, MegaUser, REPO, tempDir} from '../helpers/cli.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {procStatFields} from '../helpers/processes.js'
import {runInPty} from '../helpers/pty.js'
import {waitFor} from '../helpers/wait.js'
import {encodeFrame, encodeJsonFrame, type Frame, FrameReader, FrameType} from '../../src/dist/daemon/protocol.cjs'

const EMAIL = 'daemon@example.com'
const PASSWORD = 'daemon pw'
const FIXTURE_PLUGIN = join(REPO, 'test', 'fixtures', 'daemon-plugin')

/**
 * A profile whose oclif data folder links the test fixture plugin (test/fixtures/daemon-plugin), exactly as
 * `mega plugins link` records a linked plugin (oclif's user plugins, `$MEGA_DATA_DIR/package.json`).
 */
function userWithFixturePlugin(apiUrl: string): {user: MegaUser; env: Record<string, string>} {
  const dataDir = tempDir('mega-data-')
  writeFileSync(join(dataDir, 'package.json'), JSON.stringify({
    private: true, oclif: {schema: 1, plugins: [{type: 'link', name: '@mega-shell/test-daemon-plugin', root: FIXTURE_PLUGIN}]},
  }))
  return {user: new MegaUser(apiUrl), env: {MEGA_DATA_DIR: dataDir}}
}

function onlyServerPid(user: MegaUser): number {
  const pids = user.serverPids()
  expect(pids, 'the profile\'s background servers').to.have.length(1)
  return pids[0]
}

/** `<command> <client>` for each command in the profile's server log, in order: which client sent it. */
function commandClients(user: MegaUser): string[] {
  const log = readFileSync(join(user.home, 'server.log'), 'utf8')
  return [...log.matchAll(/command \d+: (\S+) \(host \d+, (\w+) client\)/g)].map((match) => `${match[1]} ${match[2]}`)
}

interface ServerStatusJson {
  running: boolean
  pid: number
  feed: {state: string; waits: number}
  hosts: Array<{command?: string}>
}

async function serverStatus(user: MegaUser): Promise<ServerStatusJson> {
  const result = await user.run(['server:status', '--json'])
  expect(result.code, result.stderr).to.equal(0)
  return JSON.parse(result.stdout) as ServerStatusJson
}

function partialFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.mega-partial-'))
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const fields = procStatFields(pid)
  return Number(fields[11]) + Number(fields[12])
}

describe('the background server and the mega-<cmd> thin clients', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const users: MegaUser[] = []
  const newUser = (user = new MegaUser(server().url)): MegaUser => (users.push(user), user)

  afterEach(async function () {
    for (const user of users.splice(0)) if (user.serverPids().length) await user.stopServer()
  })

  it('starts the server on demand, then runs every command in that same server', async function () {
    const user = newUser()
    expect(user.serverPids()).to.deep.equal([])
    const login = await user.runClient('login', [EMAIL, PASSWORD])
    expect(login.code, login.stderr).to.equal(0)
    const first = onlyServerPid(user)
    expect((await user.runClient('mkdir', ['/made'])).code).to.equal(0)
    const ls = await user.runClient('ls', ['/'])
    expect(ls).to.deep.include({code: 0, stdout: 'made\n', stderr: ''})
    expect(onlyServerPid(user), 'the second command reused the server').to.equal(first)
    // The first call found no server: the native client handed it to the Node client, which started one.
    expect(commandClients(user)).to.deep.equal(['login node', 'mkdir native', 'ls native'])
    // The in-process `mega` sees what the server's commands did: one profile, one cache.
    expect((await user.run(['ls', '/'])).stdout).to.equal('made\n')
    const status = await user.run(['server:status'])
    expect(status.stdout).to.include(`mega-shell server running (pid ${first}`)
    expect(status.stdout).to.match(/Live feed: live, daemon@example\.com/)
  })

  it('a server started from a terminal outlives it: its own session, no controlling terminal', async function () {
    const user = newUser()
    await user.login(EMAIL, PASSWORD)
    // The first command, typed on a terminal, starts the server; then the terminal closes (the pty goes away).
    const typed = await runInPty([user.clientLink('pwd')], user.env(), [])
    expect(typed.code, typed.output).to.equal(0)
    const pid = onlyServerPid(user)
    // /proc/<pid>/stat after the command name: state ppid pgrp session tty_nr. A session leader with no terminal
    // gets no SIGHUP when a terminal closes.
    const [, , , session, tty] = procStatFields(pid).map(Number)
    expect({session, tty}).to.deep.equal({session: pid, tty: 0})
    expect(await user.runClient('pwd', [])).to.deep.include({code: 0, stdout: '/\n'})
    expect(onlyServerPid(user), 'the same server').to.equal(pid)
  })

  it('serves calls through the native client once the server runs: questions on its terminal, the Node client\'s bytes and codes', async function () {
    const user = newUser()
    expect((await user.run(['server:start'])).code).to.equal(0)
    // The native client has the command's questions put by bin/ask.cjs, as the Node client puts them.
    const prompted = await runInPty([user.clientLink('login')], user.env(), [
      {prompt: /Email/, input: `${EMAIL}\r`},
      {prompt: /Password/, input: `${PASSWORD}\r`},
    ])
    expect(prompted.code, prompted.output).to.equal(0)
    expect(prompted.output).to.not.include(PASSWORD)
    expect((await user.runClient('mkdir', ['/native dir', '/ünïcode "q"'])).code).to.equal(0)
    const node = {MEGA_SHELL_NODE_CLIENT: '1'}
    for (const args of [['-l', '/'], ['/no/such']]) {
      const native = await user.runClient('ls', args)
      expect(native).to.deep.equal(await user.runClient('ls', args, {env: node}))
      expect(native.code).to.equal(args[0] === '-l' ? 0 : 53)
    }
    // No terminal to ask on: both fail with 51 and the same line.
    const unprompted = await user.runClient('passwd', [])
    expect(unprompted.code).to.equal(51)
    expect(unprompted).to.deep.equal(await user.runClient('passwd', [], {env: node}))
    // A host reused many times stays clean (oclif's flush used to leave a listener per command: a warning by the 11th).
    for (let i = 0; i < 12; i++) expect(await user.runClient('pwd', [])).to.deep.equal({code: 0, stdout: '/\n', stderr: ''})
    expect(commandClients(user).slice(0, 4)).to.deep.equal(['login native', 'mkdir native', 'ls native', 'ls node'])
    expect(commandClients(user).filter((line) => line === 'pwd native')).to.have.length(12)
  })

  it('refuses a second server for the profile with 54, naming where the first one runs', async function () {
    const user = newUser()
    const started = await user.run(['server:start'])
    expect(started.code, started.stderr).to.equal(0)
    const pid = onlyServerPid(user)
    expect(started.stdout).to.include(`pid ${pid}`)
    const second = await user.run(['server:start'])
    expect(second.code).to.equal(54)
    expect(second.stderr).to.include(`pid ${pid}`).and.to.include(join(user.home, 'server.sock'))
    const foreground = await user.run(['server'])
    expect(foreground.code).to.equal(54)
    expect(user.serverPids()).to.deep.equal([pid])
  })

  it('quit stops the server; the next command starts a new one with the session intact', async function () {
    const user = newUser()
    await user.runClient('login', [EMAIL, PASSWORD])
    const first = onlyServerPid(user)
    const quit = await user.runClient('quit', [])
    expect(quit.code, quit.stderr).to.equal(0)
    await waitFor('the server to end', () => user.serverPids().length === 0)
    expect(existsSync(join(user.home, 'server.sock'))).to.equal(false)
    const whoami = await user.runClient('whoami', [])
    expect(whoami).to.deep.include({code: 0, stdout: `Account e-mail: ${EMAIL}\n`})
    expect(onlyServerPid(user)).to.not.equal(first)
  })

  it('passes the command\'s bytes through unchanged, and its exit code', async function () {
    const {user, env} = userWithFixturePlugin(server().url)
    newUser(user)
    const repeat = 5000
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn(user.clientLink('fixture:bytes'), ['--repeat', String(repeat)], {env: user.env(env), stdio: ['ignore', 'pipe', 'inherit']})
      const chunks: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
      child.on('error', reject)
      const log = (): string => (existsSync(join(user.home, 'server.log')) ? readFileSync(join(user.home, 'server.log'), 'utf8') : '(no server log)')
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`exit ${code}; server log:\n${log()}`))))
    })
    const block = Buffer.from(Array.from({length: 256}, (_, i) => i))
    expect(bytes.length).to.equal(256 * repeat)
    for (let at = 0; at < bytes.length; at += 256) if (!bytes.subarray(at, at + 256).equals(block)) expect.fail(`bytes differ at ${at}`)
    const unknown = await user.runClient('nosuchcommand', [])
    const inProcess = await user.run(['nosuchcommand'])
    expect(unknown.code).to.equal(inProcess.code).and.not.equal(0)
    expect(unknown.stderr).to.equal(inProcess.stderr)
  })

  it('asks the command\'s questions on the client\'s terminal, and fails with 51 without one', async function () {
    const user = newUser()
    const prompted = await runInPty([user.clientLink('login')], user.env(), [
      {prompt: /Email/, input: `${EMAIL}\r`},
      {prompt: /Password/, input: `${PASSWORD}\r`},
    ])
    expect(prompted.code, prompted.output).to.equal(0)
    expect(prompted.output).to.not.include(PASSWORD)
    expect((await user.runClient('whoami', [])).stdout).to.equal(`Account e-mail: ${EMAIL}\n`)
    const other = newUser()
    const noTerminal = await other.runClient('login', [EMAIL])
    expect(noTerminal.code).to.equal(51)
    expect(noTerminal.stderr).to.match(/non-interactive/)
  })

  it('sees another client\'s change through its live feed: the next command makes no catch-up round trip', async function () {
    const {user, env} = userWithFixturePlugin(server().url)
    newUser(user)
    await user.runClient('login', [EMAIL, PASSWORD], {env})
    await waitFor('the live feed', async () => (await serverStatus(user)).feed.state === 'live')
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      await storage.mkdir('from-megajs')
    } finally {
      await storage.close()
    }
    // The fixture service records the action packets the feed applies (ServiceContext.onTreeChange).
    await waitFor('the new folder\'s action packet in the server', async () => {
      const result = await user.runClient('fixture:call', ['changes'], {env})
      return (JSON.parse(result.stdout) as {packets: string[]}).packets.includes('t')
    })
    const ls = await user.runClient('ls', ['-v', '/'], {env})
    expect(ls.code, ls.stderr).to.equal(0)
    expect(ls.stdout.split('\n')).to.include('from-megajs')
    expect(ls.stderr).to.include('live feed keeps the cache current: no catch-up')
  })

  it('hosts plugin services: registered by an oclif hook, called by commands, settings kept across restarts', async function () {
    const {user, env} = userWithFixturePlugin(server().url)
    newUser(user)
    const stored = await user.runClient('fixture:call', ['remember', '{"value":"kept"}'], {env})
    expect(stored).to.deep.include({code: 0, stdout: '{"stored":"kept"}\n'})
    const status = await user.run(['server:status'], {env})
    expect(status.stdout).to.match(/^ {2}fixture: running \(0 action packets seen\)$/m)
    const refused = await user.runClient('fixture:call', ['fail'], {env})
    expect(refused.code).to.equal(55)
    expect(refused.stderr).to.include('the fixture service refuses')
    const unknown = await user.runClient('fixture:call', ['nosuchmethod'], {env})
    expect(unknown.code).to.equal(51)
    await user.stopServer()
    // From a command run in-process, the call goes over the socket; the server is started for it.
    const recalled = await user.run(['fixture:call', 'recall'], {env})
    expect(recalled).to.deep.include({code: 0, stdout: '{"value":"kept"}\n'})
    expect(user.serverPids()).to.have.length(1)
  })

  it('refuses a socket path that is not its own socket, leaving it alone', async function () {
    const user = newUser()
    mkdirSync(user.home, {recursive: true})
    const path = join(user.home, 'server.sock')
    writeFileSync(path, 'not a socket')
    const ls = await user.runClient('ls', ['/'])
    // The command still runs (in-process); the one line says why the server was not used.
    expect(ls.stderr).to.include(`${path} is not a socket`)
    expect(readFileSync(path, 'utf8')).to.equal('not a socket')
    const start = await user.run(['server:start'])
    expect(start.code).to.equal(54)
    expect(start.stderr).to.include('is not a socket')
    expect(user.serverPids()).to.deep.equal([])
  })

  it('refuses another user\'s socket', async function () {
    const user = newUser()
    mkdirSync(user.home, {recursive: true})
    const path = join(user.home, 'server.sock')
    const foreign = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => foreign.listen(path, resolve))
    let connections = 0
    foreign.on('connection', () => connections++)
    try {
      chownSync(path, 65534, 65534)
      const ls = await user.runClient('ls', ['/'])
      expect(ls.stderr).to.include('belongs to another user (uid 65534)')
      expect(connections, 'connections to the foreign socket').to.equal(0)
      expect(user.serverPids()).to.deep.equal([])
    } finally {
      foreign.close()
    }
  })

  it('replaces a server of another build (an upgrade)', async function () {
    const user = newUser()
    mkdirSync(user.home, {recursive: true})
    // An "old" server: it speaks the protocol's HELLO with another build, as the previous version would.
    const old = spawn(process.execPath, ['-e', `
      const net = require('node:net')
      const {encodeJsonFrame, FrameType} = require(${JSON.stringify(join(REPO, 'src/dist/daemon/protocol.cjs'))})
      net.createServer((socket) => socket.write(encodeJsonFrame(FrameType.HELLO, {protocol: 1, build: '0.0.1-old', pid: process.pid})))
        .listen(process.argv[1], () => console.log('listening'))
    `, join(user.home, 'server.sock')], {stdio: ['ignore', 'pipe', 'inherit']})
    const oldEnded = new Promise<NodeJS.Signals | null>((resolve) => old.once('exit', (_code, signal) => resolve(signal)))
    await new Promise((resolve) => old.stdout.once('data', resolve))
    const ls = await user.runClient('ls', ['/'])
    expect(ls.code, ls.stderr).to.equal(57) // not logged in: the command ran, in a new server
    expect(await oldEnded).to.equal('SIGTERM')
    const pid = onlyServerPid(user)
    expect(pid).to.not.equal(old.pid)
  })

  it('answers an unknown or malformed request on the socket with an error, and keeps serving', async function () {
    const user = newUser()
    await user.run(['server:start'])
    const exchange = (frames: Buffer[]): Promise<Frame[]> => new Promise((resolve, reject) => {
      const socket = createConnection(join(user.home, 'server.sock'))
      const reader = new FrameReader()
      const received: Frame[] = []
      socket.on('data', (chunk: Buffer) => received.push(...reader.push(chunk)))
      socket.on('error', reject)
      socket.on('close', () => resolve(received))
      socket.on('connect', () => socket.write(Buffer.concat(frames)))
    })
    const hello = encodeJsonFrame(FrameType.HELLO, {protocol: 1, build: 'test', pid: process.pid})
    const run = (argv: string[]) => encodeJsonFrame(FrameType.RUN, {argv, cwd: user.home, env: {MEGA_API_URL: server().url}, tty: {stdin: false, stdout: false, stderr: false}})
    const unknown = await exchange([hello, run(['nosuchcommand'])])
    expect(unknown.map((frame) => frame.type)).to.include(FrameType.STDERR)
    const exit = unknown.find((frame) => frame.type === FrameType.EXIT)!
    expect(JSON.parse(exit.payload.toString()).code).to.equal((await user.run(['nosuchcommand'])).code)
    const malformed = await exchange([hello, encodeFrame(FrameType.RUN, Buffer.from('{not json'))])
    expect(malformed.map((frame) => frame.type)).to.deep.equal([FrameType.HELLO, FrameType.ERROR])
    expect(JSON.parse(malformed[1].payload.toString())).to.deep.include({exitCode: 51})
    const noHello = await exchange([run(['ls'])])
    expect(noHello.map((frame) => frame.type)).to.deep.equal([FrameType.ERROR])
    const badType = await exchange([hello, Buffer.from([99, 0, 0, 0, 0])])
    // The unknown type comes in the same chunk as HELLO: the whole stream is refused.
    expect(badType.map((frame) => frame.type)).to.deep.equal([FrameType.ERROR])
    expect(JSON.parse(badType[0].payload.toString()).message).to.include('unknown frame type 99')
    expect((await user.runClient('pwd', [])).code, 'the server still serves').to.equal(57)
    expect(user.serverPids()).to.have.length(1)
  })
})

describe('the background server with slow downloads', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}], {faults: 'dlslow:60000'})
  let user: MegaUser
  let dest: string

  before(async function () {
    user = new MegaUser(server().url)
    const source = join(tempDir(), 'big.bin')
    writeFileSync(source, Buffer.alloc(256 * 1024, 7))
    expect((await user.runClient('login', [EMAIL, PASSWORD])).code).to.equal(0)
    expect((await user.runClient('put', [source, '/big.bin'])).code).to.equal(0)
  })

  after(async function () {
    if (user.serverPids().length) await user.stopServer()
  })

  beforeEach(function () {
    dest = tempDir('mega-dest-')
  })

  /** A `mega-get` of /big.bin into `dest`, once its partial file is there (its download has started). */
  async function startGet(): Promise<{running: ReturnType<MegaUser['startClient']>; partial: string}> {
    const running = user.startClient('get', ['/big.bin', dest])
    const [partial] = await waitFor('the partial file', () => partialFiles(dest).length === 1 && partialFiles(dest), running.done)
    return {running, partial}
  }

  it('answers other clients while a long get runs; Ctrl-C ends the get with 130 and no partial file', async function () {
    const pid = onlyServerPid(user)
    const {running} = await startGet()
    const ls = await user.runClient('ls', ['/'])
    expect(ls).to.deep.include({code: 0, stdout: 'big.bin\n'})
    const status = await serverStatus(user)
    expect(status.hosts.map((host) => host.command)).to.include('get')
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code, result.stderr).to.equal(130)
    expect(readdirSync(dest)).to.deep.equal([])
    expect(onlyServerPid(user), 'the server keeps running').to.equal(pid)
  })

  it('stops the command of a client that goes away', async function () {
    const {running} = await startGet()
    running.child.kill('SIGKILL')
    await waitFor('the partial file removed', () => readdirSync(dest).length === 0)
    await waitFor('no command running', async () => (await serverStatus(user)).hosts.every((host) => host.command === undefined))
  })

  it('reports a server killed mid-command in one line (59); the next command starts a fresh server', async function () {
    const pid = onlyServerPid(user)
    const {running} = await startGet()
    process.kill(pid, 'SIGKILL')
    const result: CliResult = await running.done
    expect(result.code).to.equal(59)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.match(/server stopped before the command ended/)
    // Its command host noticed and cleaned up.
    await waitFor('the partial file removed', () => readdirSync(dest).length === 0)
    const ls = await user.runClient('ls', ['/'])
    expect(ls).to.deep.include({code: 0, stdout: 'big.bin\n'})
    expect(onlyServerPid(user)).to.not.equal(pid)
  })
})

describe('the background server when idle', function () {
  // Wait URLs that block 300 ms: each one that ends is an event the test can count.
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}], {scTimeoutMs: 300})

  it('uses no CPU between events: only the long polls, which block in the kernel', async function () {
    // The server's debug log has a line per long poll that ended: counted from outside, costing the server nothing more.
    const env = {MEGA_SHELL_LOG_LEVEL: 'debug'}
    const user = new MegaUser(server().url)
    const polls = (): number => (readFileSync(join(user.home, 'server.log'), 'utf8').match(/feed: the wait URL answered/g) ?? []).length
    try {
      await user.runClient('login', [EMAIL, PASSWORD], {env})
      const pid = onlyServerPid(user)
      await waitFor('the live feed', () => polls() >= 2)
      const first = polls()
      const before = cpuTicks(pid)
      const started = Date.now()
      await waitFor('20 more long polls', () => polls() >= first + 20)
      const ticks = cpuTicks(pid) - before
      const elapsedTicks = Math.round((Date.now() - started) / 10)
      // Each poll costs an sc request and a new wait: a few ms. A busy loop would cost most ticks of the interval.
      console.log(`      idle server: ${ticks} ticks of CPU (10 ms) over ${polls() - first} long polls in ${elapsedTicks} ticks`)
      expect(ticks).to.be.below(Math.max(10, elapsedTicks * 0.2))
    } finally {
      if (user.serverPids().length) await user.stopServer()
    }
  })
})
