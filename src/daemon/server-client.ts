import {megaHome} from '../config/paths.js'
import {CommandError, ExitCode} from '../errors.js'
import {decodeJson, type ErrorNotice, FrameType, type JsonValue, type ServiceResult} from './protocol.cjs'
import type {ServerConnection} from './server-connection.cjs'
import {processExit} from '../os/process-alive.cjs'
import {reachServer} from './server-launch.cjs'

/** How a command running in the server reaches it: over its command host's IPC channel (command-host.ts sets it). */
export interface HostLink {
  call(service: string, method: string, params: JsonValue | undefined): Promise<JsonValue>
  /** Stops the server once the running command has answered (`quit`). */
  stopServer(): void
}

let hostLink: HostLink | undefined

export function useHostLink(link: HostLink | undefined): void {
  hostLink = link
}

/** No server runs for the profile (and the caller did not ask to start one). */
export class ServerNotRunningError extends CommandError {
  constructor() {
    super('No mega-shell server is running for this profile', ExitCode.INVALIDSTATE)
  }
}

export interface ServerOptions {
  /** The mega-shell package root (oclif's `config.root`): given, a server is started when none runs. */
  root?: string
  /** Use a running server of another build rather than replacing it (status, stop). */
  anyBuild?: boolean
}

/**
 * Calls a method of a service of the profile's background server (services.ts) and returns its JSON result. From a
 * command the server runs, the call goes over the host's IPC channel; from anywhere else, over the server's socket.
 * A failed call throws a CommandError with the service's exit code.
 */
export async function callService<T extends JsonValue = JsonValue>(service: string, method: string, params?: JsonValue, options: ServerOptions = {}): Promise<T> {
  if (hostLink) return (await hostLink.call(service, method, params)) as T
  const connection = await connectToServer(options)
  try {
    return (await requestService(connection, 1, service, method, params)) as T
  } finally {
    connection.close()
  }
}

/** A connection to the profile's server, started first when `root` is given. */
export async function connectToServer(options: ServerOptions = {}): Promise<ServerConnection> {
  const reach = await reachServer({root: options.root ?? '', home: megaHome(), env: process.env, autoStart: options.root !== undefined, anyBuild: options.anyBuild})
  if (reach.kind === 'connected') return reach.connection
  if (reach.kind === 'not-running') throw new ServerNotRunningError()
  throw new CommandError(`The mega-shell server is unavailable: ${reach.reason}`, reach.exitCode)
}

/** Sends one SERVICE_CALL on `connection` and waits for its result. */
export function requestService(connection: ServerConnection, id: number, service: string, method: string, params?: JsonValue): Promise<JsonValue> {
  return new Promise((resolve, reject) => {
    connection.onFrame((frame) => {
      if (frame.type === FrameType.SERVICE_RESULT) {
        const result = decodeJson<ServiceResult>(frame)
        if (result.id !== id) return
        if (result.error) reject(new CommandError(result.error.message, result.error.exitCode))
        else resolve(result.result ?? null)
      } else if (frame.type === FrameType.ERROR) {
        const notice = decodeJson<ErrorNotice>(frame)
        reject(new CommandError(notice.message, notice.exitCode))
      }
    })
    connection.onClose(() => reject(new CommandError('The mega-shell server closed the connection before answering', ExitCode.EUNEXPECTED)))
    connection.sendJson(FrameType.SERVICE_CALL, {id, service, method, params})
  })
}

/**
 * Stops the profile's server (`quit`, `server:stop`) and waits until it has: its running commands end (130), its
 * services stop. From a command the server runs, it stops once that command has answered. Resolves with the pid of
 * the server stopped, or undefined when none was running.
 */
export async function stopServer(): Promise<number | undefined> {
  if (hostLink) {
    hostLink.stopServer()
    return process.ppid
  }
  let connection: ServerConnection
  try {
    connection = await connectToServer({anyBuild: true})
  } catch (error) {
    if (error instanceof ServerNotRunningError) return undefined
    throw error
  }
  // The server closes every connection as the last step of stopping.
  const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()))
  await requestService(connection, 1, 'server', 'stop')
  await closed
  // Told "stopped", a caller may start another server at once: its process, which holds the lock, must be gone.
  await processExit(connection.hello.pid)
  return connection.hello.pid
}
