import {CommandError, ExitCode} from '../errors.js'
import {type DaemonLog, isLogLevel, LOG_LEVELS} from './daemon-log.js'
import type {JsonValue} from './protocol.cjs'
import type {DaemonService} from './services.js'

/** What the built-in service asks of the server. */
export interface ServerControl {
  readonly log: DaemonLog
  /** Plain data (daemon.ts DaemonStatus), sent as JSON. */
  status(): Promise<object>
  requestStop(reason: string): void
}

/**
 * The server's own service, `server`: `status` (what `server:status` prints), `stop` (`server:stop`, `quit` run
 * in-process) and `log-level` (read or set the log's level; the `log` command's backend).
 */
export function serverService(server: ServerControl): DaemonService {
  return {
    name: 'server',
    status: () => ({state: 'running'}),
    handlers: {
      status: async () => (await server.status()) as JsonValue,
      stop: () => {
        server.requestStop('asked by a client')
        return {stopping: true, pid: process.pid}
      },
      'log-level': (params) => {
        const level = (params as {level?: unknown} | null)?.level
        if (level !== undefined) {
          if (!isLogLevel(level)) throw new CommandError(`Invalid log level "${String(level)}": one of ${LOG_LEVELS.join(', ')}`, ExitCode.EARGS)
          server.log.level = level
          server.log.info(`log level: ${level}`)
        }
        return {level: server.log.level}
      },
    },
  }
}
