import {rmSync, statSync, watch, writeFileSync, type FSWatcher} from 'node:fs'
import type {Socket} from 'node:net'
import {join} from 'node:path'
import type {Config} from '@oclif/core'
import {ensurePrivateDir} from '../config/paths.js'
import {buildId} from './build-id.cjs'
import {ClientSession, type SessionServer} from './client-session.js'
import {bindServerSocket, type BoundSocket} from './daemon-lock.js'
import {setRequestLog} from '../api/request-log.js'
import {ProfileSettings} from '../config/profile-settings.js'
import {DaemonLog, type LogLevel} from './daemon-log.js'
import {HOST_OWN_VARIABLES} from './host-messages.js'
import {type HostInfo, HostPool} from './host-pool.js'
import {type FeedStatus, LiveFeed} from './live-feed.js'
import {type Hello, isForwardedVariable, type JsonValue, PROTOCOL_VERSION} from './protocol.cjs'
import {type ServiceReport, ServiceHub} from './service-hub.js'
import {serverService} from './server-service.js'
import {DAEMON_SERVICES_HOOK} from './services.js'
import {userPluginsStamp} from './user-plugins.js'

/** The server's record in the profile, for people and for tools that look for it (its socket may not be in the profile). */
export const SERVER_INFO_FILE = 'server.json'

export interface DaemonOptions {
  /** The mega-shell package root (where package.json holds the oclif configuration). */
  root: string
  home: string
  /** The oclif configuration, when the server runs inside a command (`mega server`); loaded otherwise. */
  config?: Config
  /** The level of the server's own events for this run (`server --log-level`), over the one `log -c` saved. */
  logLevel?: LogLevel
  /** Log lines to show as well (the foreground server shows them on its terminal). */
  echo?: (line: string) => void
}

export interface DaemonStatus {
  pid: number
  build: string
  socket: string
  home: string
  startedAt: string
  uptimeSeconds: number
  feed: FeedStatus
  hosts: HostInfo[]
  services: ServiceReport[]
  log: {file: string; level: LogLevel; sdkLevel: LogLevel}
}

export interface RunningDaemon {
  readonly socket: string
  /** Resolves once the server has stopped (and released its socket and lock). */
  readonly stopped: Promise<void>
  stop(reason: string): Promise<void>
}

/**
 * The background server of a profile (`mega server`, or started on demand by a thin client): the one process that
 * holds the profile's socket, runs the clients' commands in its command hosts (host-pool.ts), keeps the cache
 * current with its live feed (live-feed.ts), and hosts the plugins' services (services.ts). Resolves once it
 * listens; `stopped` resolves when it has stopped (`quit`, `server:stop`, SIGTERM, or its socket removed).
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  // Everything it creates (socket, log, settings) is the user's alone: the session lives here.
  process.umask(0o077)
  ensurePrivateDir(options.home)
  forgetCallerEnvironment()
  const settings = new ProfileSettings(options.home)
  const log = new DaemonLog(options.home, {...settings.logLevels(), ...(options.logLevel ? {cmd: options.logLevel} : {})}, options.echo)
  // The feed's own requests (its commands' come from their hosts: host-pool.ts).
  setRequestLog((line) => log.api(line))
  const bound = await bindServerSocket(options.home)
  const daemon = new Daemon(options, log, bound, settings)
  await daemon.start()
  return daemon
}

/**
 * The server's environment is that of the client that started it; the variables each command brings with it
 * (protocol.cts isForwardedVariable) are not the server's own: its feed must not use a MEGA_API_URL one script set.
 */
function forgetCallerEnvironment(): void {
  for (const name of Object.keys(process.env)) if (isForwardedVariable(name) && !HOST_OWN_VARIABLES.has(name)) delete process.env[name]
}

class Daemon implements RunningDaemon, SessionServer {
  readonly pool: HostPool
  readonly stopped: Promise<void>
  stopping = false
  private readonly feed: LiveFeed
  private readonly services: ServiceHub
  private servicesReady: Promise<void> = Promise.resolve()
  /** oclif's data folder, where the user plugins are listed (user-plugins.ts); known once the configuration is loaded. */
  private dataDir?: string
  /** The user plugins the services were registered with. */
  private servicesPlugins?: string
  private readonly sockets = new Set<Socket>()
  private readonly startedAt = new Date()
  private watcher?: FSWatcher
  private resolveStopped: () => void = () => undefined

  constructor(private readonly options: DaemonOptions, readonly log: DaemonLog, private readonly bound: BoundSocket, readonly settings: ProfileSettings) {
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve))
    // The first command waits for a loaded host: start it before anything else competes for the CPU.
    this.pool = new HostPool({root: options.root, log, env: process.env, plugins: () => this.dataDir === undefined ? undefined : userPluginsStamp(this.dataDir)})
    this.pool.start()
    this.services = new ServiceHub(options.home, log, () => this.feed.context())
    this.feed = new LiveFeed(options.home, log, {
      treeChanged: (change) => this.services.treeChanged(change),
      sessionChanged: (session) => this.services.sessionChanged(session),
    })
  }

  get socket(): string {
    return this.bound.path
  }

  async start(): Promise<void> {
    const {server, path} = this.bound
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.once('close', () => this.sockets.delete(socket))
      new ClientSession(socket, this)
    })
    writeFileSync(join(this.options.home, SERVER_INFO_FILE), JSON.stringify({pid: process.pid, socket: path, build: buildId(), startedAt: this.startedAt.toISOString()}, null, 2) + '\n', {mode: 0o600})
    this.watchSocket()
    this.log.info(`server ${buildId()} listening on ${path} (pid ${process.pid})`)
    this.services.register(serverService(this))
    this.servicesReady = this.loadServices(this.options.config)
    this.feed.refresh()
  }

  hello(): Hello {
    return {protocol: PROTOCOL_VERSION, build: buildId(), pid: process.pid}
  }

  beforeCommand(): string | undefined {
    this.feed.refresh()
    return this.feed.liveSession()
  }

  afterCommand(): void {
    this.feed.refresh()
  }

  async callService(service: string, method: string, params: JsonValue | undefined): Promise<JsonValue> {
    await this.currentServices()
    return this.services.call(service, method, params)
  }

  async status(): Promise<DaemonStatus> {
    await this.currentServices()
    return {
      pid: process.pid, build: buildId(), socket: this.bound.path, home: this.options.home, startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 1000), feed: this.feed.status(), hosts: this.pool.list(),
      services: await this.services.reports(), log: {file: this.log.file, level: this.log.levels.cmd, sdkLevel: this.log.levels.sdk},
    }
  }

  /**
   * A command reloaded the whole tree (`reload`): the feed follows anew from the reloaded sequence number, and the
   * services hear of a reload as they do when the feed itself reloads.
   */
  treeReloaded(): void {
    this.feed.restart()
    this.services.treeChanged({reloaded: true, packets: []})
  }

  requestStop(reason: string): void {
    // After the current turn: the reply that asked for it goes out first.
    setImmediate(() => void this.stop(reason))
  }

  async stop(reason: string): Promise<void> {
    if (this.stopping) return this.stopped
    this.stopping = true
    this.log.info(`stopping (${reason})`)
    this.watcher?.close()
    this.bound.server.close()
    if (this.socketIsOurs()) rmSync(this.bound.path, {force: true})
    await this.pool.close()
    await this.services.stopAll()
    this.feed.stop()
    for (const socket of this.sockets) socket.destroy()
    rmSync(join(this.options.home, SERVER_INFO_FILE), {force: true})
    this.bound.lock.release()
    this.log.info('stopped')
    this.resolveStopped()
  }

  /**
   * Registers the plugins' services (the oclif hook) and starts them; commands meanwhile run, service calls wait.
   * Run again with a fresh configuration when the user plugins change (currentServices).
   */
  private async loadServices(loaded?: Config): Promise<void> {
    try {
      const {Config, settings} = await import('@oclif/core')
      // As in the command hosts (command-host.ts): linked plugins run from their compiled JavaScript.
      settings.enableAutoTranspile = false
      const config = loaded ?? (await Config.load({root: this.options.root}))
      this.dataDir = config.dataDir
      this.servicesPlugins = userPluginsStamp(config.dataDir)
      const found = this.services.pluginRegistry()
      const result = await config.runHook(DAEMON_SERVICES_HOOK, {registry: found})
      for (const failure of result.failures) this.log.error(`plugin ${failure.plugin.name}: ${DAEMON_SERVICES_HOOK} hook failed: ${failure.error.message}`)
      await this.services.usePluginServices(found)
    } catch (error) {
      this.log.error(`the plugins' services could not be registered: ${(error as Error).message}`)
      await this.services.startAll()
    }
  }

  /** The services, registered again first if a plugin was linked, installed or uninstalled since (user-plugins.ts). */
  private currentServices(): Promise<void> {
    this.servicesReady = this.servicesReady.then(() => {
      if (this.dataDir === undefined || userPluginsStamp(this.dataDir) === this.servicesPlugins) return
      this.log.info('the user plugins changed: registering the plugins\' services again')
      return this.loadServices()
    })
    return this.servicesReady
  }

  /**
   * A server whose socket was removed (its profile deleted) or replaced can never be reached again: it stops. The
   * watch is an inotify watch on the socket file alone, so it costs nothing while nothing happens.
   */
  private watchSocket(): void {
    try {
      this.watcher = watch(this.bound.path, {persistent: false}, () => {
        if (!this.socketIsOurs()) void this.stop('its socket was removed')
      })
      this.watcher.on('error', () => void this.stop('its socket was removed'))
    } catch (error) {
      this.log.warn(`cannot watch the socket: ${(error as Error).message}`)
    }
  }

  private socketIsOurs(): boolean {
    try {
      return statSync(this.bound.path).ino === this.bound.inode
    } catch {
      return false
    }
  }
}
