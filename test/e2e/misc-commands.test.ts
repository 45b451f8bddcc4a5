import {expect} from 'chai'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {MegaUser, REPO, runProcess, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite, rawApi} from '../helpers/local-server.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'misc@example.com'
const PASSWORD = 'misc pw'
const {version} = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {version: string}

/**
 * The settings and misc commands (MEGAcmd's version, errorcode, https, log, debug, reload, help): one local server,
 * one login through a thin client, so the profile's background server holds the session and runs the `mega-*`
 * commands; `mega <cmd>` runs in-process beside it on the same profile.
 */
describe('settings and misc commands', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let user: MegaUser
  const serverLog = (): string => readFileSync(join(user.home, 'server.log'), 'utf8')
  /** What the server logs from now on: the log's length now, and a reader of what comes after it. */
  const logFromNow = (): (() => string) => {
    const start = statSync(join(user.home, 'server.log')).size
    return () => serverLog().slice(start)
  }
  const settingsFile = (): string => readFileSync(join(user.home, 'settings.json'), 'utf8')

  before(async function () {
    user = new MegaUser(server().url)
    expectOk(await user.runClient('login', [EMAIL, PASSWORD]))
  })

  after(async function () {
    if (user.serverPids().length) await user.stopServer()
  })

  it('version: the version line in MEGAcmd\'s shape, its changes (-c) and features (-l); --version stays oclif\'s', async function () {
    const [major, minor, micro] = version.split('.').map(Number)
    const line = `mega-shell version: ${major}.${minor}.${micro}.0: code ${major * 1_000_000 + minor * 10_000 + micro * 100}`
    expect(expectOk(await user.run(['version']))).to.equal(`${line}\n`)
    const long = expectOk(await user.runClient('version', ['-c', '-l']))
    expect(long.split('\n')[0]).to.equal(line)
    expect(long).to.match(/\nChanges in the current version:\n \* .+\n/)
    expect(long).to.match(/\nmega-shell License: BSD-2-Clause\n/)
    expect(long).to.match(/\nFeatures enabled:\n(\* .+\n)+$/)
    expect(long).to.match(/\n\* SQLite \(better-sqlite3 [\d.]+\)\n/)
    expect(expectOk(await user.run(['--version']))).to.match(new RegExp(`^mega-shell/${version.replaceAll('.', '\\.')} `))
  })

  it('errorcode: MEGAcmd\'s and the API\'s texts, sign-insensitive; anything but a number is refused with 51', async function () {
    const texts: Record<string, string> = {
      '53': 'Resource not found', '-53': 'Resource not found', '9': 'Not found', '-9': 'Not found', '0': 'Everything OK',
      '51': 'Wrong arguments', '60': 'Confirmation required', '18': 'Temporarily not available', '999': 'Unknown error',
    }
    const codes = Object.keys(texts)
    // One shell running the thin client once per code (user.runScript's mega-* run in-process: slower).
    const script = `for code in ${codes.join(' ')}; do "${user.clientLink('errorcode')}" "$code" || exit; done`
    const printed = expectOk(await runProcess('/bin/sh', ['-c', script], user.env()))
    expect(printed.split('\n').slice(0, -1)).to.deep.equal(Object.values(texts))
    expect(expectOk(await user.run(['errorcode', '-57']))).to.equal('Needs logging in\n')
    expectFailure(await user.runClient('errorcode', ['abc']), 51, /^Invalid error code: abc$/)
    expectFailure(await user.runClient('errorcode', []), 51)
  })

  it('log and debug: both levels shown, set, kept in the profile, and obeyed by server.log; a bad level changes nothing', async function () {
    expect(expectOk(await user.runClient('log', []))).to.equal('mega-shell server log level = INFO\nAPI log level = ERROR\n')
    expect(expectOk(await user.runClient('log', ['-c', 'ERROR']))).to.equal('mega-shell server log level = ERROR\n')
    let logged = logFromNow()
    expectOk(await user.runClient('ls', ['/']))
    expect(logged()).to.not.match(/command \d+: ls/)

    expect(expectOk(await user.run(['debug']))).to.equal('mega-shell server log level = VERBOSE\nAPI log level = VERBOSE\n')
    logged = logFromNow()
    expectOk(await user.runClient('mkdir', ['/logged']))
    // The command, and its API request (a `p` that makes the folder), in the server's log.
    expect(logged()).to.match(/ INFO +command \d+: mkdir \(host \d+, native client\)\n/)
    expect(logged()).to.match(/ DEBUG +api: cs \[\{"a":"p"[^\n]*\]\n/)

    const before = settingsFile()
    expectFailure(await user.run(['log', 'bogus']), 51, /^Invalid log level$/)
    expectFailure(await user.runClient('log', ['-s', 'LOUD']), 51, /^Invalid log level$/)
    expect(settingsFile()).to.equal(before)
    expect(expectOk(await user.runClient('log', ['-s']))).to.equal('API log level = VERBOSE\n')

    // With no server running the levels are only saved (no server is started for them); the next server takes them.
    // MEGAcmd's numbers: 4 is DEBUG.
    await user.stopServer()
    expect(expectOk(await user.run(['log', '-s', '4']))).to.equal('API log level = DEBUG\n')
    expect(user.serverPids()).to.deep.equal([])
    expect(expectOk(await user.runClient('log', []))).to.equal('mega-shell server log level = VERBOSE\nAPI log level = DEBUG\n')
    expect(JSON.parse(settingsFile())).to.include({cmdLogLevel: 'verbose', sdkLogLevel: 'debug'})
  })

  it('https: kept in the profile; transfer URLs are asked for with ssl:2 when on, ssl:0 when off', async function () {
    const local = tempDir('mega-misc-')
    writeFileSync(join(local, 'plain.txt'), 'over http\n')
    writeFileSync(join(local, 'secure.txt'), 'over https\n')
    expectOk(await user.runClient('log', ['-s', 'DEBUG']))
    expect(expectOk(await user.runClient('https', []))).to.equal('File transfer is done using HTTP\n')

    let logged = logFromNow()
    expectOk(await user.runClient('put', [join(local, 'plain.txt'), '/']))
    expect(logged()).to.match(/api: cs \[\{"a":"u","ssl":0,/)

    expect(expectOk(await user.run(['https', 'on']))).to.equal('File transfer now uses HTTPS\n')
    expect(JSON.parse(settingsFile())).to.include({https: true})
    expect(expectOk(await user.runClient('https', []))).to.equal('File transfer is done using HTTPS\n')
    expectFailure(await user.runClient('https', ['maybe']), 51)
    expect(JSON.parse(settingsFile())).to.include({https: true})

    // The local server has no TLS: it takes ssl:2 and still answers with http:// URLs, which the transfer uses.
    logged = logFromNow()
    expectOk(await user.runClient('put', [join(local, 'secure.txt'), '/']))
    expectOk(await user.runClient('get', ['/secure.txt', join(local, 'back.txt')]))
    expect(logged()).to.match(/api: cs \[\{"a":"u","ssl":2,/)
    expect(logged()).to.match(/api: cs \[\{"a":"g","ssl":2,/)
    expect(readFileSync(join(local, 'back.txt'), 'utf8')).to.equal('over https\n')
    // The server stops right after a transfer (its command host had claimed the interrupt); the next command restarts it.
    await user.stopServer()

    expect(expectOk(await user.runClient('https', ['off']))).to.equal('File transfer now uses HTTP\n')
    expect(expectOk(await user.runClient('https', []))).to.equal('File transfer is done using HTTP\n')
  })

  it('server.log holds no session id, key or password, even at VERBOSE through a login', async function () {
    expect(expectOk(await user.runClient('debug', []))).to.equal('mega-shell server log level = VERBOSE\nAPI log level = VERBOSE\n')
    const logged = logFromNow()
    expectOk(await user.runClient('logout', []))
    expectOk(await user.runClient('login', [EMAIL, PASSWORD]))
    expect(logged()).to.match(/api: cs \[\{"a":"us0"/)
    const {sid, masterKey} = user.session() as unknown as {sid: string; masterKey: string}
    const log = serverLog()
    for (const secret of [sid, masterKey, PASSWORD]) expect(log.includes(secret), 'a secret in server.log').to.equal(false)
  })

  it('reload: the whole tree fetched again, replacing a cache that lost nodes; the live feed still follows', async function () {
    expectOk(await user.runClient('mkdir', ['/kept']))
    const db = new Database(join(user.home, 'cache.db'))
    try {
      // The live feed also brings the folder's creation back as an action packet: once it has applied everything
      // the API server has (the cache's sn is the server's), nothing will bring the folder back but a reload.
      const [{sn}] = await rawApi(server(), [{a: 'f', c: 1}], {sid: user.session().sid}) as [{sn: string}]
      const cachedSn = db.prepare<[], {value: string}>("SELECT value FROM meta WHERE key = 'sn'")
      await waitFor('the live feed at the server\'s sequence number', () => cachedSn.get()?.value === sn)
      // Behind the server's back: the cache forgets the folder.
      expect(db.prepare("DELETE FROM nodes WHERE name = 'kept'").run().changes).to.equal(1)
    } finally {
      db.close()
    }
    expect(expectOk(await user.runClient('ls', ['/']))).to.not.match(/^kept$/m)
    expect(expectOk(await user.runClient('reload', []))).to.equal('Reloading account...\n')
    expect(expectOk(await user.runClient('ls', ['/']))).to.match(/^kept$/m)
    // A change made elsewhere after the reload reaches the cache through the feed (the ls asks the API nothing).
    const {kept} = await user.handles('/')
    const {sid} = user.session()
    expect(await rawApi(server(), [{a: 'd', n: kept}], {sid})).to.deep.equal([0])
    await waitFor('the deletion applied by the live feed', async () => !/^kept$/m.test((await user.runClient('ls', ['/'])).stdout))
    expectFailure(await new MegaUser(server().url).run(['reload']), 57)
  })

  it('help: MEGAcmd\'s introduction and command list; -f usage lines; help <cmd> and <cmd> --help stay oclif\'s', async function () {
    const list = expectOk(await user.run(['help']))
    expect(list).to.match(/^Here is the list of available commands and their usage\nUse "help -f" to get a brief description of the commands\n/)
    const columns = list.slice(list.indexOf('Commands:\n') + 10, list.indexOf('\n\nVerbosity:')).split('\n')
    // Three columns, filled down first, in sorted order.
    const cells = columns.map((row) => row.trim().split(/ {2,}/))
    const names = [0, 1, 2].flatMap((column) => cells.map((row) => row[column]).filter(Boolean))
    expect(names).to.deep.equal([...names].sort())
    for (const name of ['version', 'errorcode', 'https', 'log', 'debug', 'reload', 'help', 'ls', 'quit', 'exit', 'server start']) expect(names).to.include(name)
    for (const row of columns) expect(row).to.match(/^ {6}\S/)
    expect(expectOk(await user.runClient('help', []))).to.equal(list)

    const full = expectOk(await user.runClient('help', ['-f']))
    expect(full).to.match(/\n {6}errorcode number: Translate an exit code or an API error number into its text/)
    expect(full).to.match(/\n {6}ls \[-halRr\] [^\n]*: List files and folders\n/)
    expect(expectOk(await user.runClient('help', ['ls']))).to.match(/^List files and folders\n\nUSAGE\n {2}\$ mega ls /)
    expect(expectOk(await user.runClient('ls', ['--help']))).to.match(/^List files and folders\n\nUSAGE\n {2}\$ mega ls /)
  })
})
