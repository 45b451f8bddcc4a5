import {EventEmitter} from 'node:events'
import {CommandError, ExitCode} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import type {TreeChange} from '../session/tree-sync.js'
import type {DaemonLog} from './daemon-log.js'
import type {JsonValue} from './protocol.cjs'
import {FileServiceSettings} from './service-settings.js'
import {type DaemonService, SERVICE_NAME, type ServiceContext, type ServiceRegistry, type ServiceStatus, type SessionInfo} from './services.js'

interface Entry {
  service: DaemonService
  /** Registered by a plugin's `daemon-services` hook, not by the server itself. */
  fromPlugin: boolean
  state: 'registered' | 'running' | 'failed' | 'stopped'
  /** Why it failed to start. */
  failure?: string
  /** Removes the listeners it added through its context (onTreeChange, onSessionChange). */
  readonly unlisten: Set<() => void>
}

export interface ServiceReport extends ServiceStatus {
  name: string
}

/**
 * The services of one server (services.ts): registered by the `daemon-services` hook, started once the server
 * listens, called by commands, told of tree and session changes, stopped with the server.
 */
export class ServiceHub implements ServiceRegistry {
  private readonly entries = new Map<string, Entry>()
  private readonly events = new EventEmitter()

  constructor(private readonly home: string, private readonly log: DaemonLog, private readonly mega: () => MegaContext | undefined) {
    this.events.setMaxListeners(0)
  }

  /** Registers one of the server's own services. */
  register(service: DaemonService): void {
    checkName(service.name, this.entries)
    this.entries.set(service.name, {service, fromPlugin: false, state: 'registered', unlisten: new Set()})
  }

  /** A registry for one run of the plugins' `daemon-services` hook, then given to usePluginServices(). */
  pluginRegistry(): PluginServices {
    const own = [...this.entries].filter(([, entry]) => !entry.fromPlugin).map(([name]) => name)
    return new PluginServices(new Set(own))
  }

  /**
   * Makes the plugins' services those `found` holds, at start and after the user plugins changed (`mega plugins
   * link|uninstall`): services no plugin registers any more are stopped and forgotten, new ones are started. One
   * still registered keeps running as it is: its module is already loaded (Node caches ES modules), so a plugin's new
   * code takes a server restart.
   */
  async usePluginServices(found: PluginServices): Promise<void> {
    for (const [name, entry] of [...this.entries].reverse()) {
      if (!entry.fromPlugin || found.services.has(name)) continue
      await this.stop(name, entry)
      // A service's stop() may forget its listeners: they must not outlive it.
      for (const unlisten of entry.unlisten) unlisten()
      this.entries.delete(name)
    }
    for (const [name, service] of found.services) if (!this.entries.has(name)) this.entries.set(name, {service, fromPlugin: true, state: 'registered', unlisten: new Set()})
    await this.startAll()
  }

  /** Starts every registered service; one that fails to start is logged and left `failed`, the others run. */
  async startAll(): Promise<void> {
    for (const [name, entry] of this.entries) {
      if (entry.state !== 'registered') continue
      try {
        await entry.service.start?.(this.contextFor(name, entry))
        entry.state = 'running'
        this.log.info(`service ${name}: started`)
      } catch (error) {
        entry.state = 'failed'
        entry.failure = (error as Error).message
        this.log.error(`service ${name}: failed to start: ${entry.failure}`)
      }
    }
  }

  async stopAll(): Promise<void> {
    for (const [name, entry] of [...this.entries].reverse()) await this.stop(name, entry)
    this.events.removeAllListeners()
  }

  private async stop(name: string, entry: Entry): Promise<void> {
    if (entry.state !== 'running') return
    entry.state = 'stopped'
    try {
      await entry.service.stop?.()
      this.log.info(`service ${name}: stopped`)
    } catch (error) {
      this.log.error(`service ${name}: failed to stop: ${(error as Error).message}`)
    }
  }

  treeChanged(change: TreeChange): void {
    this.events.emit('tree', change)
  }

  sessionChanged(session: SessionInfo): void {
    this.events.emit('session', session)
  }

  /** Runs a service's handler; failures are CommandErrors with MEGAcmd exit codes. */
  async call(name: string, method: string, params: JsonValue | undefined): Promise<JsonValue> {
    const entry = this.entries.get(name)
    if (!entry) throw new CommandError(`The server has no service "${name}"`, ExitCode.NOTFOUND)
    const handler = Object.hasOwn(entry.service.handlers, method) ? entry.service.handlers[method] : undefined
    if (!handler) throw new CommandError(`The service "${name}" has no method "${method}"`, ExitCode.EARGS)
    if (entry.state !== 'running') throw new CommandError(`The service "${name}" is not running${entry.failure ? ` (${entry.failure})` : ''}`, ExitCode.INVALIDSTATE)
    return (await handler(params)) ?? null
  }

  async reports(): Promise<ServiceReport[]> {
    const reports: ServiceReport[] = []
    for (const [name, entry] of this.entries) {
      if (entry.state !== 'running') {
        reports.push({name, state: entry.state, message: entry.failure})
        continue
      }
      try {
        reports.push({name, ...(await entry.service.status?.() ?? {state: 'running'})})
      } catch (error) {
        reports.push({name, state: 'failed', message: `status failed: ${(error as Error).message}`})
      }
    }
    return reports
  }

  private contextFor(name: string, entry: Entry): ServiceContext {
    const prefix = `service ${name}: `
    const log = {
      error: (message: string) => this.log.error(prefix + message),
      warn: (message: string) => this.log.warn(prefix + message),
      info: (message: string) => this.log.info(prefix + message),
      debug: (message: string) => this.log.debug(prefix + message),
    }
    const listen = <T>(event: 'tree' | 'session', listener: (value: T) => void): (() => void) => {
      // A listener that throws is the service's bug: it is logged, and neither the feed nor other services notice.
      const guarded = (value: T): void => {
        try {
          listener(value)
        } catch (error) {
          log.error(`${event} listener failed: ${(error as Error).message}`)
        }
      }
      this.events.on(event, guarded)
      const unlisten = (): void => {
        this.events.off(event, guarded)
        entry.unlisten.delete(unlisten)
      }
      entry.unlisten.add(unlisten)
      return unlisten
    }
    return {
      home: this.home,
      log,
      settings: new FileServiceSettings(this.home, name),
      mega: this.mega,
      onTreeChange: (listener) => listen('tree', listener),
      onSessionChange: (listener) => listen('session', listener),
    }
  }
}

/** The services one run of the `daemon-services` hook registers (ServiceRegistry), checked as they come. */
export class PluginServices implements ServiceRegistry {
  readonly services = new Map<string, DaemonService>()

  /** `reserved`: the server's own services' names. */
  constructor(private readonly reserved: ReadonlySet<string>) {}

  register(service: DaemonService): void {
    if (this.reserved.has(service.name)) throw new Error(`a service named "${service.name}" is already registered`)
    checkName(service.name, this.services)
    this.services.set(service.name, service)
  }
}

function checkName(name: string, taken: ReadonlyMap<string, unknown>): void {
  if (!SERVICE_NAME.test(name)) throw new Error(`invalid service name "${name}" (lower-case letters, digits and dashes)`)
  if (taken.has(name)) throw new Error(`a service named "${name}" is already registered`)
}
