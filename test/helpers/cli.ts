import Database from 'better-sqlite3'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {processIds} from './processes.js'

export const REPO = resolve(import.meta.dirname, '..', '..')
export const MEGA_BIN = join(REPO, 'bin', 'run.js')
const SHIM = join(REPO, 'bin', 'shim.js')
/** The thin client's executable (the `mega-<cmd>` bins of package.json): commands run in the background server. */
export const CLIENT_SHIM = join(REPO, 'bin', 'mega-shim')

export interface CliResult {
  stdout: string
  stderr: string
  code: number
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Written to stdin, then closed; stdin is otherwise an empty pipe (never a TTY). */
  input?: string
  timeoutMs?: number
  /** Runs the process as this user and group (see unprivileged.ts). */
  uid?: number
  gid?: number
}

const created: string[] = []

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'mega-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

process.on('exit', () => {
  // A background server a test started and did not stop (a failed test) must not outlive the run.
  for (const pid of serverPidsUnder(created)) process.kill(pid, 'SIGKILL')
  for (const dir of created) rmSync(dir, {recursive: true, force: true})
})

/**
 * What the background servers of this process's profiles wrote before dying of an uncaught exception (daemon-main.ts
 * appends it to server.log as a FATAL line): a failed test reports it, as the profile goes with the run.
 */
export function serverCrashes(): string[] {
  const lines: string[] = []
  for (const dir of created) {
    const log = join(dir, 'server.log')
    if (!existsSync(log)) continue
    lines.push(...readFileSync(log, 'utf8').split(/\n(?=\d{4}-)/).filter((line) => line.includes(' FATAL ')))
  }
  return lines
}

/** Pids of the background servers (daemon-main.js --home <home>) of these profiles, read from /proc. */
export function serverPidsUnder(homes: string[]): number[] {
  return processIds((argv) => argv.some((arg) => arg.endsWith('daemon-main.js')) && homes.includes(argv[argv.indexOf('--home') + 1]))
}

/**
 * One user of the built `mega` binary: its own MEGA_SHELL_HOME (cache, session, cwd) and HOME, pointed at
 * a local server. Every call is a real process, as a script would run it.
 */
export class MegaUser {
  readonly home = tempDir('mega-home-')

  constructor(readonly apiUrl: string) {}

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    // oclif's folders (its data folder lists `mega plugins`' plugins; autocomplete's cache) follow HOME unless XDG
    // variables say otherwise: they must not be the real user's.
    const xdg = {XDG_DATA_HOME: join(this.home, '.local', 'share'), XDG_CACHE_HOME: join(this.home, '.cache'), XDG_CONFIG_HOME: join(this.home, '.config')}
    const env: NodeJS.ProcessEnv = {...process.env, HOME: this.home, ...xdg, MEGA_SHELL_HOME: this.home, MEGA_API_URL: this.apiUrl, ...extra}
    for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key]
    return env
  }

  /** `mega <args…>` */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return runProcess(process.execPath, [MEGA_BIN, ...args], this.env(options.env), options)
  }

  /** `mega <args…>` with stdout as raw bytes (for `cat`); stdin is closed. */
  runBinary(args: string[], options: RunOptions = {}): Promise<BinaryResult> {
    const child = spawn(process.execPath, [MEGA_BIN, ...args], {env: this.env(options.env), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']})
    const stdout: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`timed out: mega ${args.join(' ')}\nstderr: ${stderr}`))
      }, options.timeoutMs ?? 60000)
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(timer)
        resolvePromise({stdout: Buffer.concat(stdout), stderr, code: code ?? -1})
      })
    })
  }

  /** `mega <args…>` left running, to signal it. */
  start(args: string[], options: RunOptions = {}): RunningCli {
    return startProcess(process.execPath, [MEGA_BIN, ...args], this.env(options.env), options)
  }

  /** `mega-<command> <args…>` through a real symlink to the shim, as `npm install -g` lays them out. */
  runShim(command: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
    const dir = tempDir('mega-shims-')
    const link = join(dir, `mega-${command}`)
    symlinkSync(SHIM, link)
    return runProcess(link, args, this.env(options.env), options)
  }

  /**
   * `sh -c <script>` with the named `mega-<command>` shims on PATH (real symlinks, as runShim), so a script from
   * the user guide runs exactly as written.
   */
  runScript(script: string, commands: string[], options: RunOptions = {}): Promise<CliResult> {
    const dir = tempDir('mega-shims-')
    for (const command of commands) symlinkSync(SHIM, join(dir, `mega-${command}`))
    return runProcess('/bin/sh', ['-c', script], this.env({PATH: `${dir}:${process.env.PATH ?? ''}`, ...options.env}), options)
  }

  /** `mega-<command> <args…>` through the thin client (bin/mega-shim, linked as npm links it): run by the server. */
  runClient(command: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
    return this.startClient(command, args, options).done
  }

  startClient(command: string, args: string[], options: RunOptions = {}): RunningCli {
    return startProcess(this.clientLink(command), args, this.env(options.env), options)
  }

  /** A `mega-<command>` symlink to the thin client, in a folder of its own. */
  clientLink(command: string): string {
    const dir = tempDir('mega-clients-')
    const link = join(dir, `mega-${command}`)
    symlinkSync(CLIENT_SHIM, link)
    return link
  }

  /** The pids of this profile's background servers (at most one, unless something is wrong). */
  serverPids(): number[] {
    return serverPidsUnder([this.home])
  }

  /** Stops this profile's background server, if one runs. */
  async stopServer(): Promise<void> {
    const result = await this.run(['server:stop'])
    if (result.code !== 0) throw new Error(`server:stop failed (${result.code}): ${result.stderr}`)
  }

  async login(email: string, password: string): Promise<void> {
    const result = await this.run(['login', email, password])
    if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`)
  }

  /** The session this user's cache holds: to speak to the server as that user without the client's own checks. */
  session(): {sid: string; userHandle: string} {
    const db = new Database(join(this.home, 'cache.db'), {readonly: true, fileMustExist: true})
    try {
      return JSON.parse(db.prepare<[], {value: string}>("SELECT value FROM meta WHERE key = 'session'").get()!.value) as {sid: string; userHandle: string}
    } finally {
      db.close()
    }
  }

  /** A node's key as this user's cache holds it (decrypted: 32 bytes for a file, 16 for a folder). */
  nodeKey(handle: string): Buffer {
    const db = new Database(join(this.home, 'cache.db'), {readonly: true, fileMustExist: true})
    try {
      return db.prepare<[string], {key: Buffer}>('SELECT key FROM nodes WHERE handle = ?').get(handle)!.key
    } finally {
      db.close()
    }
  }

  /** `ls --show-handles <path>`: the handle of each listed name. */
  async handles(path: string): Promise<Record<string, string>> {
    const result = await this.run(['ls', '--show-handles', path])
    if (result.code !== 0) throw new Error(`ls failed (${result.code}): ${result.stderr}`)
    return Object.fromEntries([...result.stdout.matchAll(/^(.+) <H:([\w-]{8})>$/gm)].map((m) => [m[1], m[2]]))
  }
}

/** Makes two logged-in users contacts: `inviter` invites `invitee` by email, who accepts. */
export async function makeContacts(inviter: {user: MegaUser; email: string}, invitee: {user: MegaUser; email: string}): Promise<void> {
  for (const result of [await inviter.user.run(['invite', invitee.email]), await invitee.user.run(['ipc', inviter.email, '-a'])]) {
    if (result.code !== 0) throw new Error(`making contacts failed (${result.code}): ${result.stderr}`)
  }
}

export interface BinaryResult {
  stdout: Buffer
  stderr: string
  code: number
}

/** A running `mega` process, for tests that signal it. */
export interface RunningCli {
  child: ChildProcess
  done: Promise<CliResult>
}

export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): RunningCli {
  const child = spawn(command, args, {env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], uid: options.uid, gid: options.gid})
  return {child, done: collect(child, `${command} ${args.join(' ')}`, options)}
}

export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<CliResult> {
  return startProcess(command, args, env, options).done
}

function collect(child: ChildProcess, what: string, options: RunOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out: ${what}\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, options.timeoutMs ?? 60000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({stdout, stderr, code: code ?? -1})
    })
    // A child that never reads its stdin may be gone before it is closed (the native client takes ~1 ms): no error.
    child.stdin!.on('error', () => undefined)
    child.stdin!.end(options.input ?? '')
  })
}
