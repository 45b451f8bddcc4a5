import {join} from 'node:path'
import {processExit} from '../os/process-alive.cjs'
import {openConnection, type ServerConnection} from './server-connection.cjs'
import {PROTOCOL_VERSION} from './protocol.cjs'
import {inspectSocket, socketPathFor} from './socket-path.cjs'

/**
 * What a server started in the background tells its launcher over the IPC channel of its spawn, once it listens
 * or once it knows it will not: a message rather than a line in its log, which concurrent starts would share.
 */
export type LaunchReport =
  | {type: 'ready'; pid: number; socket: string}
  /** Another server of the profile runs (or is starting): use that one. */
  | {type: 'running'; pid?: number}
  | {type: 'failed'; message: string; exitCode: number}

export function isLaunchReport(value: unknown): value is LaunchReport {
  const type = (value as {type?: unknown} | null)?.type
  return type === 'ready' || type === 'running' || type === 'failed'
}

/** The entry point of a server started in the background (daemon-main.ts, compiled next to this file). */
export function daemonMainPath(): string {
  return join(__dirname, 'daemon-main.js')
}

const LAUNCH_TIMEOUT_MS = 30_000

export interface LaunchOptions {
  /** The mega-shell package (its package.json holds the oclif configuration). */
  root: string
  home: string
  /** The server's environment: the caller's, NODE_EXTRA_CA_CERTS included (the server makes TLS connections). */
  env: NodeJS.ProcessEnv
}

/**
 * Starts the profile's server as a detached process (its own session: it survives the terminal) and waits for
 * its report: it listens, another server runs, or it could not start (and why).
 */
export function launchServer(options: LaunchOptions): Promise<LaunchReport> {
  // Loaded only here: a command run by a running server never needs it, and every module costs start-up time.
  const {spawn} = require('node:child_process') as typeof import('node:child_process')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [daemonMainPath(), '--root', options.root, '--home', options.home], {
      detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], cwd: '/',
      env: {...options.env, MEGA_SHELL_HOME: options.home},
    })
    let settled = false
    const settle = (report: LaunchReport): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (child.connected) child.disconnect()
      child.unref()
      resolve(report)
    }
    const timer = setTimeout(() => settle({type: 'failed', message: `the server did not start within ${LAUNCH_TIMEOUT_MS / 1000} s`, exitCode: 59}), LAUNCH_TIMEOUT_MS)
    child.on('message', (message) => {
      if (isLaunchReport(message)) settle(message)
    })
    child.once('error', (error) => settle({type: 'failed', message: `the server could not be started (${error.message})`, exitCode: 59}))
    // 'close' comes after the IPC channel is drained: a report sent just before exiting is never lost to it.
    child.once('close', (code, signal) => settle({type: 'failed', message: `the server exited during startup (${signal ?? `exit code ${code}`})`, exitCode: 59}))
  })
}

/** Stops a server of another build: SIGTERM to its pid, then waits until it is gone. */
export async function retireServer(connection: ServerConnection): Promise<void> {
  const {pid} = connection.hello
  const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()))
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    connection.close()
    return
  }
  await closed
  // Its lock goes with its process, which ends a little after its connections.
  await processExit(pid)
}

export interface ReachOptions extends LaunchOptions {
  /** Start the server when none runs (thin clients); false for status and stop. */
  autoStart: boolean
  /** Talk to a server of another build (same protocol) instead of replacing it: status and stop. */
  anyBuild?: boolean
}

export type Reach =
  | {kind: 'connected'; connection: ServerConnection}
  | {kind: 'not-running'}
  /**
   * No server can be used: `unusual` when something is wrong with the socket (another user's file, a hung
   * server), as opposed to a server that merely failed to start.
   */
  | {kind: 'unavailable'; reason: string; unusual: boolean; exitCode: number}

/**
 * A connection to the profile's server, of this build: an older server is replaced, and with `autoStart` a
 * missing or crashed one (a stale socket) is started.
 */
export async function reachServer(options: ReachOptions): Promise<Reach> {
  const path = socketPathFor(options.home, options.env)
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = inspectSocket(path)
    if (found.state === 'foreign') return {kind: 'unavailable', reason: `${path} ${found.reason}`, unusual: true, exitCode: 54}
    if (found.state === 'ours') {
      const outcome = await openConnection(path)
      if (outcome.kind === 'unresponsive') return {kind: 'unavailable', reason: outcome.reason, unusual: true, exitCode: 59}
      if (outcome.kind === 'connected') {
        const {connection} = outcome
        if (connection.compatible || (options.anyBuild && connection.hello.protocol === PROTOCOL_VERSION)) return outcome
        await retireServer(connection)
      }
    }
    if (!options.autoStart) return {kind: 'not-running'}
    const report = await launchServer(options)
    if (report.type === 'failed') return {kind: 'unavailable', reason: report.message, unusual: false, exitCode: report.exitCode}
  }
  return {kind: 'unavailable', reason: `the server of ${options.home} could not be reached`, unusual: true, exitCode: 59}
}
