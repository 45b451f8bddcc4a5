import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {logRequest, setRequestLog} from '../../src/api/request-log.js'
import {DaemonLog} from '../../src/daemon/daemon-log.js'
import {parseLogLevel} from '../../src/daemon/log-levels.js'
import {errorCodeText} from '../../src/errors.js'
import {commandColumns} from '../../plugins/server/src/help/help-text.js'
import {versionLine} from '../../plugins/server/src/version/version-line.js'
import {tempDir} from '../helpers/cli.js'

describe('settings and misc rules', function () {
  it('reads log levels as MEGAcmd getLogLevelNum does: names, numbers clamped to 0-5, nothing else', function () {
    expect(['VERBOSE', 'verbose', 'Debug', '4', '9', '-1', 'warn'].map(parseLogLevel)).to.deep.equal(['verbose', 'verbose', 'debug', 'debug', 'verbose', 'fatal', 'warning'])
    expect(['', 'loud', '4x', '1.5'].map(parseLogLevel)).to.deep.equal([undefined, undefined, undefined, undefined])
  })

  it('translates codes as MEGAcmd 2.5.2 errorcode does: its own first, then the SDK\'s, sign-insensitive', function () {
    const printed: Record<number, string> = {
      0: 'Everything OK', 12: 'Already exists', 25: 'Strongly-grouped request rolled back', 29: 'Storage Quota Exceeded. Upgrade now',
      53: 'Resource not found', [-54]: 'Invalid state', 58: 'Nodes not fetched', 60: 'Confirmation required', 61: 'Unknown error',
      1000: 'Insufficient disk space', 1002: 'Unknown error',
    }
    for (const [code, text] of Object.entries(printed)) expect(errorCodeText(Number(code)), code).to.equal(text)
  })

  it('lays the command list out in MEGAcmd\'s three columns, filled down first', function () {
    const names = Array.from({length: 11}, (_, i) => `c${String(i).padStart(2, '0')}`)
    expect(commandColumns(names)).to.deep.equal([
      `      c00${' '.repeat(17)}c04${' '.repeat(17)}      c08`,
      `      c01${' '.repeat(17)}c05${' '.repeat(17)}      c09`,
      `      c02${' '.repeat(17)}c06${' '.repeat(17)}      c10`,
      `      c03${' '.repeat(17)}c07`,
    ])
    expect(commandColumns(names.slice(0, 3))).to.deep.equal([`      c00${' '.repeat(17)}c01${' '.repeat(17)}      c02`])
  })

  it('prints the version line in MEGAcmd\'s shape, with its code', function () {
    expect(versionLine('2.5.2')).to.equal('mega-shell version: 2.5.2.0: code 2050200')
    expect(versionLine('0.1.0')).to.equal('mega-shell version: 0.1.0.0: code 10000')
  })

  it('rotates the server log by size, keeping three old files', function () {
    const home = tempDir('mega-log-')
    const log = new DaemonLog(home, {cmd: 'info'}, undefined, 200)
    for (let i = 0; i < 40; i++) log.info(`line ${i} ${'x'.repeat(40)}`)
    expect(['server.log', 'server.log.1', 'server.log.2', 'server.log.3'].every((name) => existsSync(join(home, name)))).to.equal(true)
    expect(existsSync(join(home, 'server.log.4'))).to.equal(false)
    expect(readFileSync(join(home, 'server.log'), 'utf8')).to.match(/line 39 /)
    expect(readFileSync(join(home, 'server.log'), 'utf8').length).to.be.at.most(200)
  })

  it('logs API requests by command name and plain fields only: no keys, attributes, handles or hashes', function () {
    const lines: string[] = []
    setRequestLog((line) => lines.push(line))
    try {
      logRequest('cs', [{a: 'p', t: 'ROOTHNDL', n: [{h: 'xxxxxxxx', t: 0, a: 'ATTRS', k: 'KEY'}], i: 'requestid'}, {a: 'us', user: 'me@example.com', uh: 'HASH'}, {a: 'u', ssl: 2, s: 5}])
      logRequest('sc')
    } finally {
      setRequestLog(undefined)
    }
    expect(lines).to.deep.equal(['cs [{"a":"p"},{"a":"us"},{"a":"u","ssl":2,"s":5}]', 'sc'])
  })
})
