import {spawn} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {isProcessAlive, SERVER_LOG_FILE, writeServerInfo, type ServerInfo} from './server-info.js'

/** The line main.ts prints once it accepts connections. */
export const LISTENING_LINE = /Local MEGA server listening on (http:\/\/\S+)/

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
 * appended to `<data>/server.log`, waits for its listening line, records {pid, port, url} in server.json and
 * returns them. The process outlives this one.
 */
export async function launchDetached(options: LaunchOptions): Promise<ServerInfo> {
  mkdirSync(options.dataDir, {recursive: true, mode: 0o700})
  const logPath = join(options.dataDir, SERVER_LOG_FILE)
  const logFd = openSync(logPath, 'a', 0o600)
  const startOffset = statSync(logPath).size
  const child = spawn(process.execPath, [
    serverMainPath(), '--port', String(options.port), '--host', options.host, '--data', options.dataDir,
  ], {detached: true, stdio: ['ignore', logFd, logFd], env: process.env})
  closeSync(logFd)
  let exitCode: number | null = null
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1)
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not start the server process')

  const deadline = Date.now() + (options.timeoutMs ?? 20_000)
  for (;;) {
    const output = readFileSync(logPath).subarray(startOffset).toString('utf8')
    const match = LISTENING_LINE.exec(output)
    if (match) {
      const url = match[1]
      const info: ServerInfo = {pid, port: Number(new URL(url).port), url}
      writeServerInfo(options.dataDir, info)
      child.unref()
      return info
    }
    if (exitCode !== null || !isProcessAlive(pid)) {
      throw new Error(`the server exited during startup:\n${output.trim() || `(no output; see ${logPath})`}`)
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`the server did not start within ${Math.round((options.timeoutMs ?? 20_000) / 1000)} s; see ${logPath}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Sends SIGTERM and waits for the process to exit (SIGKILL after `timeoutMs`). */
export async function terminate(pid: number, timeoutMs = 10_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  const deadline = Date.now() + timeoutMs
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL')
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
