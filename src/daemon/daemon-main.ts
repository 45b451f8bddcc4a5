/**
 * The entry point of a server started in the background by a thin client or `server:start`
 * (server-launch.cts): `node daemon-main.js --root <package root> --home <profile>`. It reports to its launcher
 * over the spawn's IPC channel (ready, already running, failed), lets the channel go, and runs until stopped.
 * It ignores SIGINT, as MEGAcmd's background server does: a Ctrl-C typed in the terminal that started it is not
 * for it. SIGTERM stops it cleanly.
 */
import {appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {toFailure} from '../command/exit-codes.js'
import {startDaemon} from './daemon.js'
import {parseLogLevel} from './log-levels.js'
import {ServerRunningError} from './daemon-lock.js'
import type {LaunchReport} from './server-launch.cjs'

const {values} = parseArgs({options: {root: {type: 'string'}, home: {type: 'string'}}})

function report(message: LaunchReport, then?: () => void): void {
  if (!process.send || !process.connected) return then?.()
  process.send(message, () => {
    if (process.connected) process.disconnect()
    then?.()
  })
}

process.on('SIGINT', () => undefined)
// A server that dies ends every client's command with "the server stopped" (59): its log must say why. The
// server's own log object may be what failed, so the line is appended directly.
process.on('uncaughtException', (error) => {
  try {
    if (values.home) appendFileSync(join(values.home, 'server.log'), `${new Date().toISOString()} FATAL server crashed: ${error.stack ?? error.message}\n`, {mode: 0o600})
  } finally {
    process.exit(70)
  }
})
const level = process.env.MEGA_SHELL_LOG_LEVEL ? parseLogLevel(process.env.MEGA_SHELL_LOG_LEVEL) : undefined
try {
  if (!values.root || !values.home) throw new Error('usage: daemon-main.js --root <package root> --home <profile>')
  const daemon = await startDaemon({root: values.root, home: values.home, logLevel: level})
  process.once('SIGTERM', () => void daemon.stop('SIGTERM'))
  report({type: 'ready', pid: process.pid, socket: daemon.socket})
  await daemon.stopped
  process.exit(0)
} catch (error) {
  if (error instanceof ServerRunningError) report({type: 'running', pid: error.pid}, () => process.exit(error.exitCode))
  else {
    const {message, exitCode} = toFailure(error)
    report({type: 'failed', message, exitCode}, () => process.exit(exitCode))
  }
}
