import {appendFileSync, renameSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {redactSecrets} from '../command/exit-codes.js'
import type {LogLevels} from '../config/profile-settings.js'
import {printable} from '../format/printable.js'
import {type LogLevel, logs} from './log-levels.js'

export {LOG_LEVELS, isLogLevel, type LogLevel} from './log-levels.js'

/** The server's log in the profile folder. */
export const LOG_FILE = 'server.log'
/** A log file is rotated past this size (server.log → server.log.1 → … → server.log.3, the oldest dropped). */
const MAX_LOG_BYTES = 4 * 1024 * 1024
const KEPT_LOGS = 3

/** MEGAcmd's defaults here: the server's events at INFO, the API at ERROR (MEGAcmd 2.5.2 `log` on a new profile says SDK ERROR). */
export const DEFAULT_LOG_LEVELS: LogLevels = {cmd: 'info', sdk: 'error'}

/**
 * The background server's log: `<home>/server.log`, one line per event (`<ISO time> <LEVEL> <message>`), rotated by
 * size. Two levels, as MEGAcmd has (`log -c` / `log -s`): `cmd` for the server's own events (commands, hosts, the
 * live feed, services) and `sdk` for the API requests its commands and its feed send (api(), at DEBUG). Nothing
 * secret is written: session ids are cut out of every line (the same redaction as error messages), callers log a
 * command's name, never its arguments or environment (a password can be in either), and API requests are logged
 * as their command names and a few plain fields (api/request-log.ts), never keys or attributes. Lines are appended
 * synchronously, so the last ones before a crash are there.
 */
export class DaemonLog {
  readonly file: string
  readonly levels: LogLevels
  private size: number

  constructor(home: string, levels: Partial<LogLevels> = {}, private readonly echo?: (line: string) => void, private readonly maxBytes = MAX_LOG_BYTES) {
    this.file = join(home, LOG_FILE)
    this.size = sizeOf(this.file)
    this.levels = {...DEFAULT_LOG_LEVELS, ...levels}
  }

  get level(): LogLevel {
    return this.levels.cmd
  }

  error(message: string): void {
    this.write('error', message)
  }

  warn(message: string): void {
    this.write('warning', message)
  }

  info(message: string): void {
    this.write('info', message)
  }

  debug(message: string): void {
    this.write('debug', message)
  }

  /** An API request (api/request-log.ts), under the `sdk` level. */
  api(message: string): void {
    if (logs(this.levels.sdk, 'debug')) this.append('debug', `api: ${message}`)
  }

  private write(level: LogLevel, message: string): void {
    if (logs(this.levels.cmd, level)) this.append(level, message)
  }

  private append(level: LogLevel, message: string): void {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(7)} ${printable(redactSecrets(message))}\n`
    this.echo?.(line)
    try {
      if (this.size + line.length > this.maxBytes) this.rotate()
      appendFileSync(this.file, line, {mode: 0o600})
      this.size += Buffer.byteLength(line)
    } catch {
      // A full disk or a removed profile must not bring the server down for a log line.
    }
  }

  private rotate(): void {
    for (let n = KEPT_LOGS - 1; n >= 1; n--) renameQuietly(`${this.file}.${n}`, `${this.file}.${n + 1}`)
    renameQuietly(this.file, `${this.file}.1`)
    this.size = 0
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch {
    // Not there yet: nothing to shift.
  }
}
