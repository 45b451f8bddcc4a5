import {type ChildProcess, fork} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {constants} from 'node:os'
import type {DaemonLog} from './daemon-log.js'
import type {FromHost, HostJob, ToHost} from './host-messages.js'
import type {PromptAnswer, PromptRequest, ServiceCall, ServiceResult} from './protocol.cjs'

const HOST_ENTRY = fileURLToPath(new URL('./command-host.js', import.meta.url))
/** A command still running this long after SIGTERM (the server stops, its client went away) is killed. */
const STOP_GRACE_MS = 10_000
/** Idle hosts beyond the spares end after this long. */
const IDLE_RETIRE_MS = 120_000

/** What the server does with a running command's traffic. */
export interface JobHandlers {
  /** Output to pass on; `sent` once the client's socket took it (flow control). */
  output(fd: 1 | 2, data: Buffer, sent: () => void): void
  prompt(request: PromptRequest): void
  serviceCall(call: ServiceCall): void
  stopServer(): void
  done(code: number): void
}

export interface HostInfo {
  pid: number
  state: CommandHost['state']
  /** The running command's name (never its arguments: they may hold a password). */
  command?: string
  runningSeconds?: number
}

/** One command host process (command-host.ts), seen from the server. */
export class CommandHost {
  state: 'starting' | 'idle' | 'busy' | 'gone' = 'starting'
  /** The user plugins it loaded (user-plugins.ts), once ready. */
  plugins?: string
  /** Sent SIGTERM: it takes no more commands. */
  retiring = false
  readonly ready: Promise<boolean>
  private readonly child: ChildProcess
  private handlers?: JobHandlers
  private job?: {command: string; started: number}
  private idleTimer?: NodeJS.Timeout
  private killTimer?: NodeJS.Timeout

  constructor(readonly key: string, env: NodeJS.ProcessEnv, root: string, private readonly log: DaemonLog, private readonly changed: (host: CommandHost) => void) {
    this.child = fork(HOST_ENTRY, ['--root', root], {stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', env, execArgv: []})
    let settleReady: (ok: boolean) => void = () => undefined
    this.ready = new Promise((resolve) => (settleReady = resolve))
    this.child.on('message', (message: FromHost) => this.receive(message, settleReady))
    // A host's own stdout/stderr carry nothing of a command's (those go over IPC): a crash trace, at most.
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8').on('data', (text: string) => this.log.warn(`host ${this.pid}: ${text.trimEnd()}`))
    }
    // 'on', not 'once': every failed IPC send to a host that is going away is an 'error', and an unheard one would
    // end the whole server (and every client's command with it).
    this.child.on('error', (error) => this.log.error(`host ${this.pid}: ${error.message}`))
    this.child.once('close', (code, signal) => {
      settleReady(false)
      this.ended(code, signal)
    })
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  info(): HostInfo {
    const info: HostInfo = {pid: this.pid, state: this.state}
    if (this.job) {
      info.command = this.job.command
      info.runningSeconds = Math.round((Date.now() - this.job.started) / 1000)
    }
    return info
  }

  run(job: HostJob, handlers: JobHandlers): void {
    this.setState('busy')
    this.handlers = handlers
    this.job = {command: job.argv[0] ?? '', started: Date.now()}
    this.send({t: 'job', job})
  }

  answerPrompt(answer: PromptAnswer): void {
    this.send({t: 'prompt-answer', answer})
  }

  serviceResult(result: ServiceResult): void {
    this.send({t: 'service-result', result})
  }

  /** Ctrl-C or SIGTERM for the running command (command/interrupt.ts in the host does the rest). */
  signal(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.state === 'busy') this.child.kill(signal)
  }

  /** Ends the running command: SIGTERM (it cleans up and ends with 130), SIGKILL if it is still there after a grace. */
  stop(): void {
    if (this.state !== 'busy') return
    this.child.kill('SIGTERM')
    this.killTimer ??= setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS).unref()
  }

  /** Gives back a host taken for a command that never ran (its client left while it waited). */
  release(): void {
    if (this.state === 'busy' && !this.handlers) this.setState('idle')
  }

  /**
   * Ends an idle or starting host with SIGTERM (an interrupt with no command: it just exits). Not by closing its IPC
   * channel: a ChildProcess whose channel the parent disconnected never emits 'close' (Node 20), and the pool waits
   * for 'close', which comes after the last IPC message, unlike 'exit'.
   */
  retire(): void {
    if (this.state === 'gone' || this.state === 'busy') return
    this.retiring = true
    this.child.kill('SIGTERM')
  }

  /** Retires the host if it stays idle for a while. */
  retireWhenIdle(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.state === 'idle' && this.retire(), IDLE_RETIRE_MS).unref()
  }

  closed(): Promise<void> {
    if (this.state === 'gone') return Promise.resolve()
    return new Promise((resolve) => this.child.once('close', () => resolve()))
  }

  private receive(message: FromHost, settleReady: (ok: boolean) => void): void {
    switch (message.t) {
      case 'ready':
        this.plugins = message.plugins
        this.setState('idle')
        settleReady(true)
        break
      case 'out': {
        const data = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength)
        const fd = message.fd
        if (this.handlers) this.handlers.output(fd, data, () => this.send({t: 'out-ack', fd, bytes: data.length}))
        else {
          this.log.warn(`host ${this.pid} wrote outside a command: ${data.toString('utf8').trimEnd()}`)
          this.send({t: 'out-ack', fd, bytes: data.length})
        }
        break
      }
      case 'prompt':
        this.handlers?.prompt(message.request)
        break
      case 'service-call':
        this.handlers?.serviceCall(message.call)
        break
      case 'stop-server':
        this.handlers?.stopServer()
        break
      case 'api-request':
        this.log.api(message.line)
        break
      case 'done': {
        const handlers = this.handlers
        this.finishJob()
        // A host that is not reusable leaves by itself right after this message.
        if (message.reusable) this.setState('idle')
        handlers?.done(message.code)
        break
      }
    }
  }

  private ended(code: number | null, signal: NodeJS.Signals | null): void {
    const handlers = this.handlers
    const busy = this.state === 'busy'
    this.finishJob()
    clearTimeout(this.idleTimer)
    clearTimeout(this.killTimer)
    this.setState('gone')
    if (!busy || !handlers) return
    // The command's process ended without saying it was done: killed, or crashed.
    const what = signal ? `was killed (${signal})` : `ended unexpectedly (exit code ${code})`
    this.log.error(`host ${this.pid} ${what} during a command`)
    handlers.output(2, Buffer.from(`The command's process ${what}\n`), () => undefined)
    handlers.done(signal ? 128 + (constants.signals[signal] ?? 0) : (code || 59))
  }

  private finishJob(): void {
    this.handlers = undefined
    this.job = undefined
  }

  private setState(state: CommandHost['state']): void {
    this.state = state
    if (state !== 'idle') clearTimeout(this.idleTimer)
    this.changed(this)
  }

  private send(message: ToHost): void {
    if (!this.child.connected) return
    try {
      this.child.send(message)
    } catch {
      // The host is leaving; its 'close' ends the command.
    }
  }
}

export interface PoolOptions {
  root: string
  log: DaemonLog
  /** The environment hosts start with (the server's). */
  env: NodeJS.ProcessEnv
  /** Hosts kept loaded and idle, ready for the next command. */
  spares?: number
  /** At most this many hosts; more commands at once wait for one. */
  max?: number
  /** The user plugins as they are now (user-plugins.ts); undefined while the server does not know yet. */
  plugins?: () => string | undefined
}

/**
 * The server's command hosts. A command takes an idle host (loaded: it runs at once), or waits for one that is
 * starting, or starts one; a spare is kept ready so the next command does not wait. A host is reused as long as
 * its commands leave it clean (command-host.ts), so a script's loop of commands runs in one warm process, while
 * commands that run at once get hosts of their own: a long `get` never holds up an `ls`.
 *
 * Hosts are keyed by NODE_EXTRA_CA_CERTS, the one variable of a command's environment Node reads only at start: a
 * command whose client has another value than the server's gets a host started with it.
 *
 * A host knows the commands of the plugins installed when it started: after a `mega plugins link|install|uninstall`
 * the hosts that loaded the old list run no more commands (idle ones retire at the next command, busy ones once
 * done) and new hosts load the new list, so the next command finds a linked plugin's commands, and no longer an
 * uninstalled one's, without a server restart.
 */
export class HostPool {
  private readonly hosts = new Set<CommandHost>()
  private readonly waiting: Array<() => void> = []
  private closing = false
  private readonly defaultKey: string

  constructor(private readonly options: PoolOptions) {
    this.defaultKey = options.env.NODE_EXTRA_CA_CERTS ?? ''
  }

  /** Starts the first host (before the server loads anything else: it is what the first command waits for). */
  start(): void {
    this.topUp()
  }

  async acquire(key: string): Promise<CommandHost> {
    for (;;) {
      if (this.closing) throw new Error('the server is stopping')
      this.retireStale()
      const idle = this.find(key, 'idle')
      if (idle) {
        idle.state = 'busy'
        this.topUp()
        return idle
      }
      const starting = this.find(key, 'starting')
      if (starting) {
        await starting.ready
        continue
      }
      if (this.hosts.size < (this.options.max ?? 16)) {
        this.spawn(key)
        continue
      }
      // Every host is busy and no more may start: wait for one to change state.
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
  }

  list(): HostInfo[] {
    return [...this.hosts].map((host) => host.info())
  }

  /** Ends every host: running commands are stopped (exit 130), idle hosts retire. */
  async close(): Promise<void> {
    this.closing = true
    for (const host of this.hosts) {
      if (host.state === 'busy') host.stop()
      else host.retire()
    }
    await Promise.all([...this.hosts].map((host) => host.closed()))
  }

  private find(key: string, state: CommandHost['state']): CommandHost | undefined {
    for (const host of this.hosts) if (host.key === key && host.state === state && !host.retiring) return host
    return undefined
  }

  /** Retires the idle hosts that loaded another list of user plugins than the current one. */
  private retireStale(): void {
    const current = this.options.plugins?.()
    if (current === undefined) return
    for (const host of this.hosts) {
      if (host.state === 'idle' && !host.retiring && host.plugins !== current) {
        this.options.log.info(`host ${host.pid}: the user plugins changed, retiring`)
        host.retire()
      }
    }
  }

  private spawn(key: string): CommandHost {
    const env = {...this.options.env}
    if (key) env.NODE_EXTRA_CA_CERTS = key
    else delete env.NODE_EXTRA_CA_CERTS
    const host = new CommandHost(key, env, this.options.root, this.options.log, (changed) => this.changed(changed))
    this.hosts.add(host)
    this.options.log.debug(`host ${host.pid}: starting`)
    return host
  }

  /** Keeps `spares` hosts of the server's own key idle or starting. */
  private topUp(): void {
    if (this.closing) return
    let ready = 0
    for (const host of this.hosts) if (host.key === this.defaultKey && !host.retiring && (host.state === 'idle' || host.state === 'starting')) ready++
    for (; ready < (this.options.spares ?? 1) && this.hosts.size < (this.options.max ?? 16); ready++) this.spawn(this.defaultKey)
  }

  private changed(host: CommandHost): void {
    if (host.state === 'gone') {
      this.hosts.delete(host)
      this.topUp()
    }
    if (host.state === 'idle') {
      const idle = [...this.hosts].filter((other) => other.state === 'idle' && other.key === this.defaultKey).length
      if (host.key !== this.defaultKey || idle > (this.options.spares ?? 1) + 1) host.retireWhenIdle()
    }
    for (const wake of this.waiting.splice(0)) wake()
  }
}
