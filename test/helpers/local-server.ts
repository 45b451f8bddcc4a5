import Database from 'better-sqlite3'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createAccount, type CreatedAccount, type NewAccount} from '../../plugins/local-server/dist/index.js'
import {processIds} from './processes.js'

/**
 * End-to-end tests run the local MEGA-compatible server as a real separate process
 * (`node plugins/local-server/dist/server/main.js --port 0 --data <fresh dir>`), exactly as users run it.
 * Build first: `npx tsc -b plugins/local-server`.
 */
export interface TestServerOptions {
  /** MEGA_LOCAL_SERVER_FAULTS for this server, e.g. "eagain:3". */
  faults?: string
  /** How long its wait URLs block (default: the server's 40 s). */
  scTimeoutMs?: number
  /** Extra environment for the server process. */
  env?: Record<string, string>
}

export interface TestServer {
  /** API base, ending in `/` (megajs `gateway`, MEGA_API_URL). */
  readonly url: string
  readonly port: number
  readonly dataDir: string
  readonly pid: number
  /** Stops the process (SIGTERM) and deletes its data folder unless `keepData`. */
  stop(options?: {keepData?: boolean}): Promise<void>
  /** Stops and starts again on the same data folder, on the same port when it is still free. */
  restart(): Promise<void>
  /** Kills the process with SIGKILL (no cleanup at all, as a crash) and waits until it is gone. */
  crash(): Promise<void>
}

/** The server's entry point, `node SERVER_MAIN --port … --data …`. */
export const SERVER_MAIN = fileURLToPath(new URL('../../plugins/local-server/dist/server/main.js', import.meta.url))
const LISTENING = /Local MEGA server listening on (http:\/\/\S+)/
const live = new Set<ChildProcess>()
let exitHookInstalled = false

/** Kills any server a test forgot (or could not) stop, even when the run fails or is interrupted. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
  // A signal would end the test process without 'exit' handlers; turn it into an exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
}

export async function startLocalServer(options: TestServerOptions = {}): Promise<TestServer> {
  installExitHook()
  const dataDir = mkdtempSync(join(tmpdir(), 'mega-local-server-'))
  let current = await spawnServer(dataDir, 0, options)
  return {
    get url() {
      return current.url
    },
    get port() {
      return current.port
    },
    get pid() {
      return current.child.pid ?? -1
    },
    dataDir,
    async stop({keepData = false} = {}) {
      await stopChild(current.child)
      if (!keepData) rmSync(dataDir, {recursive: true, force: true})
    },
    async restart() {
      const port = current.port
      await stopChild(current.child)
      try {
        current = await spawnServer(dataDir, port, options)
      } catch {
        // The port was taken meanwhile: any free one will do.
        current = await spawnServer(dataDir, 0, options)
      }
    },
    async crash() {
      const exited = new Promise((resolve) => current.child.once('exit', resolve))
      if (current.child.exitCode === null && current.child.signalCode === null) {
        current.child.kill('SIGKILL')
        await exited
      }
    },
  }
}

/**
 * Pids of the server processes (`node …/server/main.js … --data <dataDir>`) running on a data folder, however
 * they were started, read from /proc: what is really running, not what server.json claims.
 */
export function serverProcessIds(dataDir: string): number[] {
  return processIds((argv) => {
    const data = argv.indexOf('--data')
    return argv.some((arg) => arg.endsWith('server/main.js')) && data >= 0 && argv[data + 1] === dataDir
  })
}

interface Running {
  child: ChildProcess
  url: string
  port: number
}

function spawnServer(dataDir: string, port: number, options: TestServerOptions): Promise<Running> {
  const args = [SERVER_MAIN, '--port', String(port), '--data', dataDir]
  if (options.scTimeoutMs !== undefined) args.push('--sc-timeout', String(options.scTimeoutMs))
  const env: NodeJS.ProcessEnv = {...process.env, ...options.env}
  if (options.faults) env.MEGA_LOCAL_SERVER_FAULTS = options.faults
  else delete env.MEGA_LOCAL_SERVER_FAULTS
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env})
  live.add(child)
  child.once('exit', () => live.delete(child))
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text
    // Server-side errors show up in the test output, where they explain a failing assertion.
    process.stderr.write(text.replace(/^/gm, '[local-server] '))
  })
  return new Promise((resolve, reject) => {
    let stdout = ''
    const onData = (text: string) => {
      stdout += text
      const match = LISTENING.exec(stdout)
      if (match) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        child.off('exit', onExit)
        const url = match[1]
        resolve({child, url, port: Number(new URL(url).port)})
      }
    }
    const onExit = (code: number | null) => reject(new Error(`local server exited with ${code} during startup: ${stderr.trim()}`))
    child.stdout!.setEncoding('utf8').on('data', onData)
    child.once('exit', onExit)
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Creates a confirmed account (v2 unless `version: 1`) in the server's data folder; the server need not restart. */
export function addUser(
  server: Pick<TestServer, 'dataDir'>, email: string, password: string, options: Omit<NewAccount, 'email' | 'password'> = {},
): Promise<CreatedAccount> {
  return createAccount(server.dataDir, {email, password, ...options})
}

/**
 * Sends one raw `cs` batch (for protocol checks that megajs cannot express) and returns the parsed reply:
 * an array, or a bare number for a request-level error.
 */
export async function rawApi(server: Pick<TestServer, 'url'>, commands: unknown[], query: Record<string, string> = {}): Promise<unknown> {
  const qs = new URLSearchParams({id: String(Math.floor(Math.random() * 1e9)), ...query})
  const response = await fetch(`${server.url}cs?${qs}`, {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(commands),
  })
  if (!response.ok) throw new Error(`cs answered HTTP ${response.status}`)
  return response.json()
}

export interface SuiteAccount extends Omit<NewAccount, 'version'> {
  /** A legacy (v1) account instead of v2. */
  v1?: boolean
}

/**
 * For a `describe` block: mocha hooks that start a fresh local server with these accounts before its tests
 * and stop it after them. Returns a getter for the running server.
 */
export function localServerForSuite(accounts: SuiteAccount[], options: TestServerOptions = {}): () => TestServer {
  let server: TestServer | undefined
  before(async function () {
    server = await startLocalServer(options)
    for (const {email, password, v1, ...options} of accounts) await addUser(server, email, password, {...options, ...(v1 ? {version: 1} : {})})
  })
  after(async function () {
    await server?.stop()
  })
  return () => {
    if (!server) throw new Error('the local server of this suite is not running')
    return server
  }
}

/**
 * How many folders (roots aside) the server holds, read from its own database: a server state a test can
 * wait for, observed within milliseconds, while API requests may be slowed down on purpose.
 */
export function serverFolderCount(server: Pick<TestServer, 'dataDir'>): number {
  return countNodes(server, 'WHERE type = 1')
}

/** How many nodes (roots, files, folders, versions) the server holds: what a refused command must leave as it was. */
export function serverNodeCount(server: Pick<TestServer, 'dataDir'>): number {
  return countNodes(server, '')
}

function countNodes(server: Pick<TestServer, 'dataDir'>, where: string): number {
  const db = new Database(join(server.dataDir, 'server.db'), {readonly: true, fileMustExist: true})
  try {
    return db.prepare<[], {n: number}>(`SELECT count(*) AS n FROM nodes ${where}`).get()!.n
  } finally {
    db.close()
  }
}
