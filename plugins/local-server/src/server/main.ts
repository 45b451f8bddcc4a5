#!/usr/bin/env node
import {parseArgs} from 'node:util'
import {localServerHome, toFailure, UsageError} from '@mega-shell/core'
import {DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SC_WAIT_TIMEOUT_MS, startServer} from './start-server.js'
import {listeningLine, sendStartupReport} from './startup-report.js'

const HELP = `Usage: node main.js [--port N] [--host ADDR] [--data DIR] [--sc-timeout MS] [--public-url URL]

Runs the local MEGA-compatible API server in the foreground until SIGINT/SIGTERM.

  --port N          TCP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR       address to bind (default ${DEFAULT_HOST})
  --data DIR        data folder: server.db + blobs/ (default: $MEGA_SHELL_HOME/local-server)
  --sc-timeout MS   how long a wait URL blocks when nothing happens (default ${DEFAULT_SC_WAIT_TIMEOUT_MS})
  --public-url URL  base of transfer/wait URLs in replies (default http://HOST:PORT/)

Prints "Local MEGA server listening on http://HOST:PORT/" once it accepts connections. Every file it writes
in DIR is owner-only (0600, folders 0700). When it cannot start it prints one line and exits with:
  51  bad arguments (port, an unknown host or one that is not an address of this machine)
  54  the port is in use, or another server runs on DIR
  55  DIR is not a folder
  56  not permitted (DIR cannot be created, or the port needs privileges)

Logins: after 10 wrong passwords for one account within an hour, its logins answer ETOOMANY (-6) for an
hour; env MEGA_LOCAL_SERVER_LOGIN_THROTTLE=<attempts>/<seconds> changes that (0 turns it off).

Fault injection for client tests, env MEGA_LOCAL_SERVER_FAULTS, comma-separated:
  eagain:N   every Nth cs request answers a bare -3 (EAGAIN) without running
  drop:N     every Nth cs request has its connection closed without an answer
  slow:MS    every cs request is answered MS milliseconds late
  dlslow:MS  every download response starts MS milliseconds late
  ulslow:MS  every upload chunk is answered MS milliseconds late
  faslow:MS  every file attribute stored is answered MS milliseconds late
  slowbytes:N  every upload chunk or download request moves at most N bytes per second (each on its own)
  ulexpire:MS  upload URLs older than MS milliseconds answer -8 (EEXPIRED) to chunks
  dlcut:N    every Nth download response is cut off halfway through its body
  ulcut:N    every Nth upload chunk's connection is closed once half its body has arrived
  e.g. MEGA_LOCAL_SERVER_FAULTS=eagain:3 or MEGA_LOCAL_SERVER_FAULTS=slowbytes:262144,ulexpire:60000

Transfer quota: each account may download its transfer quota (local-server:useradd --transfer-quota, default
10 TiB) within six hours; beyond it download URLs answer HTTP 509 with X-MEGA-Time-Left.
`

async function main(): Promise<void> {
  // Whatever the data folder's mode, nothing the server writes (SQLite's own files included) is readable by
  // others: it holds login hashes and encrypted keys.
  process.umask(0o077)
  const values = parseArguments()
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid port: ${values.port}`)
  const scWaitTimeoutMs = values['sc-timeout'] === undefined ? undefined : Number(values['sc-timeout'])
  if (scWaitTimeoutMs !== undefined && !(scWaitTimeoutMs >= 0)) throw new UsageError(`Invalid --sc-timeout: ${values['sc-timeout']}`)
  const dataDir = values.data ?? localServerHome()

  const server = await startServer({dataDir, port, host: values.host, scWaitTimeoutMs, publicUrl: values['public-url']})
  process.stdout.write(`${listeningLine(server.url)}\n`)
  sendStartupReport({type: 'listening', pid: process.pid, port: server.port, url: server.url})

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    server.close().then(() => {
      process.stdout.write(`Local MEGA server stopped (${signal})\n`)
      process.exit(0)
    }, (error: unknown) => {
      process.stderr.write(`local-server: error while stopping: ${(error as Error).message}\n`)
      process.exit(1)
    })
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

function parseArguments() {
  try {
    return parseArgs({
      options: {
        port: {type: 'string'},
        host: {type: 'string'},
        data: {type: 'string'},
        'sc-timeout': {type: 'string'},
        'public-url': {type: 'string'},
        help: {type: 'boolean', short: 'h'},
      },
      strict: true,
    }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

main().catch((error: unknown) => {
  const {message, exitCode} = toFailure(error)
  process.stderr.write(`local-server: ${message}\n`)
  sendStartupReport({type: 'failed', message, exitCode}, () => process.exit(exitCode))
})
