import {spawn, type ChildProcess} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {CommandError, ExitCode, processExit} from '@mega-shell/core'
import {prepareDataDir} from '../server/data-dir.js'
import {isStartupReport, type StartupReport} from '../server/startup-report.js'
import {SERVER_LOG_FILE, type ServerInfo} from './server-info.js'

export interface LaunchOptions {
  dataDir: string
  port: number
  host: string
  /** Give up when the server has not said it listens after this long. */
  timeoutMs?: number
}

/** Path of the compiled server entry point (dist/server/main.js). */
export function serverMainPath(): string {
  return fileURLToPath(new URL('../server/main.js', import.meta.url))
}

/**
 * Starts the server as a detached background process (node dist/server/main.js) with stdout and stderr
 * appended to `<data>/server.log`, and waits for it to report, over an IPC channel, that it listens (it then
 * records itself in server.json) or why it could not start. That reason is thrown as the server's own
 * one-line CommandError, once its process has exited. The process outlives this one.
 */
export async function launchDetached(options: LaunchOptions): Promise<ServerInfo> {
  prepareDataDir(options.dataDir)
  const logPath = join(options.dataDir, SERVER_LOG_FILE)
  const logFd = openSync(logPath, 'a', 0o600)
  const child = spawn(process.execPath, [
    serverMainPath(), '--port', String(options.port), '--host', options.host, '--data', options.dataDir,
  ], {detached: true, stdio: ['ignore', logFd, logFd, 'ipc'], env: process.env})
  closeSync(logFd)
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const report = await waitForReport(child, options.timeoutMs ?? 20_000, logPath)
  if (report.type === 'failed') {
    // Nothing of a failed start may be left running when the command returns.
    await closed
    throw new CommandError(report.message, report.exitCode)
  }
  if (child.connected) child.disconnect()
  child.unref()
  return {pid: report.pid, port: report.port, url: report.url}
}

function waitForReport(child: ChildProcess, timeoutMs: number, logPath: string): Promise<StartupReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      resolve(failed(`The server did not start within ${Math.round(timeoutMs / 1000)} s; see ${logPath}`))
    }, timeoutMs)
    const settle = (report: StartupReport) => {
      clearTimeout(timer)
      resolve(report)
    }
    child.on('message', (message) => {
      if (isStartupReport(message)) settle(message)
    })
    // 'close' comes after the IPC channel is drained, so a report sent before exiting is never lost to it.
    child.once('close', (code, signal) => settle(failed(`The server exited during startup (${signal ?? `exit code ${code}`}); see ${logPath}`)))
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function failed(message: string): StartupReport {
  return {type: 'failed', message, exitCode: ExitCode.EUNEXPECTED}
}

/** Sends SIGTERM and waits for the process to exit (SIGKILL after `timeoutMs`). */
export async function terminate(pid: number, timeoutMs = 10_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  await processExit(pid, timeoutMs, 50)
}
