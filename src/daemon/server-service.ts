import type {LogLevels, ProfileSettings} from '../config/profile-settings.js'
import {CommandError, ExitCode} from '../errors.js'
import type {DaemonLog} from './daemon-log.js'
import {isLogLevel} from './log-levels.js'
import type {JsonValue} from './protocol.cjs'
import type {DaemonService} from './services.js'

/** What the built-in service asks of the server. */
export interface ServerControl {
  readonly log: DaemonLog
  readonly settings: ProfileSettings
  /** Plain data (daemon.ts DaemonStatus), sent as JSON. */
  status(): Promise<object>
  requestStop(reason: string): void
  treeReloaded(): void
}

/**
 * The server's own service, `server`: `status` (what `server:status` prints), `stop` (`server:stop`, `quit` run
 * in-process), `log-levels` (read or set the log's two levels, saved in the profile: the `log` and `debug`
 * commands' backend) and `tree-reloaded` (`reload` replaced the cached tree: the live feed follows anew).
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
      'log-levels': (params) => {
        const levels = logLevelsOf(params)
        if (levels.cmd || levels.sdk) {
          Object.assign(server.log.levels, levels)
          server.settings.saveLogLevels(levels)
          server.log.info(`log levels: ${JSON.stringify(server.log.levels)}`)
        }
        return {...server.log.levels}
      },
      'tree-reloaded': () => {
        server.treeReloaded()
      },
    },
  }
}

function logLevelsOf(params: JsonValue | undefined): Partial<LogLevels> {
  const {cmd, sdk} = (params ?? {}) as {cmd?: unknown; sdk?: unknown}
  for (const level of [cmd, sdk]) if (level !== undefined && !isLogLevel(level)) throw new CommandError('Invalid log level', ExitCode.EARGS)
  return {...(cmd ? {cmd: cmd as LogLevels['cmd']} : {}), ...(sdk ? {sdk: sdk as LogLevels['sdk']} : {})}
}
