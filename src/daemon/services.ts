import type {Config, Hook} from '@oclif/core'
import {NotLoggedInError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import type {SessionRecord} from '../session/session-record.js'
import type {TreeChange} from '../session/tree-sync.js'
import type {JsonValue} from './protocol.cjs'

/**
 * The extension point of the background server: a plugin registers **services**, long-lived parts of the server
 * (a sync engine, a backup scheduler, a WebDAV server, a transfer queue) that start with it, stop with it, report a
 * status, and answer requests from the plugin's commands. The core never imports a plugin: the server asks for
 * services through an oclif hook, `daemon-services`, which a plugin declares in its package.json
 *
 *     "oclif": {"hooks": {"daemon-services": "./dist/hooks/daemon-services.js"}}
 *
 * and answers by registering what it brings:
 *
 *     import type {DaemonServicesHook} from '@mega-shell/core'
 *     const hook: DaemonServicesHook = async function ({registry}) {
 *       registry.register({
 *         name: 'sync',
 *         async start(ctx) { … ctx.onTreeChange((change) => …); ctx.settings.get('pairs') … },
 *         async stop() { … },
 *         status: () => ({state: 'running', message: '2 folders in sync'}),
 *         handlers: {add: async (params) => …, list: () => …},
 *       })
 *     }
 *     export default hook
 *
 * A command of the plugin calls a handler with `this.callService('sync', 'add', {…})` (MegaCommand) or
 * `callService()`: from a command the server runs, over its IPC channel; from a command run in-process (`mega
 * sync …`), over the server's socket (the server is started if it is not running). Parameters and results are
 * JSON; a handler that throws a CommandError fails the call with its exit code.
 *
 * Services run in the server's main process, next to the socket and the live feed: long CPU work belongs in a
 * worker thread or a child process, or every client waits for it.
 */
export interface DaemonService {
  /** Lower-case letters, digits and dashes; unique in the server. `server` is the server's own. */
  readonly name: string
  /** Called once the server listens; the service runs until stop(). A start that throws leaves it `failed`. */
  start?(context: ServiceContext): void | Promise<void>
  /** Called when the server stops (`mega quit`, `server:stop`, SIGTERM). */
  stop?(): void | Promise<void>
  /** What `server:status` shows for the service. */
  status?(): ServiceStatus | Promise<ServiceStatus>
  /** The methods commands call: JSON parameters in, a JSON result (or nothing) out. */
  readonly handlers: Readonly<Record<string, ServiceHandler>>
}

export type ServiceHandler = (params: JsonValue | undefined) => JsonValue | void | Promise<JsonValue | void>

export interface ServiceStatus {
  /** `running`, `idle`, `failed`, … as the service sees itself. */
  state: string
  /** One line for people. */
  message?: string
  /** Anything more, for `server:status --json`. */
  details?: JsonValue
}

/** What the server gives each service. */
export interface ServiceContext {
  /** The profile folder the server serves (its cache, session, log). */
  readonly home: string
  /** Log lines of this service, in the server's log (server.log), prefixed with its name. */
  readonly log: ServiceLogger
  /** Settings kept for this service across restarts (`<home>/services/<name>.json`). */
  readonly settings: ServiceSettings
  /**
   * The server's cache and API client for the logged-in account, kept current by the live feed; undefined when
   * logged out. Ask again after a session change: a new login gets a new context.
   */
  mega(): MegaContext | undefined
  /** Remote changes as the live feed applies them to the cache (action packets, or a full reload). */
  onTreeChange(listener: (change: TreeChange) => void): () => void
  /** A login or a logout (by any command of the profile). */
  onSessionChange(listener: (session: SessionInfo) => void): () => void
}

export interface SessionInfo {
  loggedIn: boolean
  email?: string
}

export interface ServiceLogger {
  error(message: string): void
  warn(message: string): void
  info(message: string): void
  debug(message: string): void
}

export interface ServiceSettings {
  get<T extends JsonValue>(key: string): T | undefined
  /** Stores a value (undefined removes it); written to disk at once. */
  set(key: string, value: JsonValue | undefined): void
  all(): Record<string, JsonValue>
}

/** What the `daemon-services` hook receives. */
export interface ServiceRegistry {
  register(service: DaemonService): void
}

export interface DaemonServicesHookOptions {
  registry: ServiceRegistry
}

/** The oclif event the server runs at start. */
export const DAEMON_SERVICES_HOOK = 'daemon-services'

/** The type of a plugin's `daemon-services` hook. */
export type DaemonServicesHook = (this: Hook.Context, options: DaemonServicesHookOptions & {config: Config}) => Promise<void>

/** A service name as it may be registered and called. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/

/** The server's context for the logged-in account, for a handler that needs one; exit 57 when logged out. */
export function loggedInContext(context: ServiceContext | undefined): {ctx: MegaContext; session: SessionRecord} {
  const ctx = context?.mega()
  if (!ctx?.session) throw new NotLoggedInError()
  return {ctx, session: ctx.session}
}
