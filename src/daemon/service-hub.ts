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
  state: 'registered' | 'running' | 'failed' | 'stopped'
  /** Why it failed to start. */
  failure?: string
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

  register(service: DaemonService): void {
    if (!SERVICE_NAME.test(service.name)) throw new Error(`invalid service name "${service.name}" (lower-case letters, digits and dashes)`)
    if (this.entries.has(service.name)) throw new Error(`a service named "${service.name}" is already registered`)
    this.entries.set(service.name, {service, state: 'registered'})
  }

  /** Starts every registered service; one that fails to start is logged and left `failed`, the others run. */
  async startAll(): Promise<void> {
    for (const [name, entry] of this.entries) {
      if (entry.state !== 'registered') continue
      try {
        await entry.service.start?.(this.contextFor(name))
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
    for (const [name, entry] of [...this.entries].reverse()) {
      if (entry.state !== 'running') continue
      entry.state = 'stopped'
      try {
        await entry.service.stop?.()
        this.log.info(`service ${name}: stopped`)
      } catch (error) {
        this.log.error(`service ${name}: failed to stop: ${(error as Error).message}`)
      }
    }
    this.events.removeAllListeners()
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

  private contextFor(name: string): ServiceContext {
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
      return () => this.events.off(event, guarded)
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
