import {appendFileSync, renameSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {redactSecrets} from '../command/exit-codes.js'
import {printable} from '../format/printable.js'

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)
}

/** The server's log in the profile folder. */
export const LOG_FILE = 'server.log'
/** A log file is rotated past this size (server.log → server.log.1 → … → server.log.3, the oldest dropped). */
const MAX_LOG_BYTES = 4 * 1024 * 1024
const KEPT_LOGS = 3

/**
 * The background server's log: `<home>/server.log`, one line per event (`<ISO time> <LEVEL> <message>`), rotated by
 * size. Nothing secret is written: session ids are cut out of every line (the same redaction as error messages),
 * and callers log a command's name, never its arguments or environment (a password can be in either). Lines are
 * appended synchronously, so the last ones before a crash are there.
 */
export class DaemonLog {
  readonly file: string
  private size: number

  constructor(home: string, private currentLevel: LogLevel = 'info', private readonly echo?: (line: string) => void) {
    this.file = join(home, LOG_FILE)
    this.size = sizeOf(this.file)
  }

  get level(): LogLevel {
    return this.currentLevel
  }

  set level(level: LogLevel) {
    this.currentLevel = level
  }

  error(message: string): void {
    this.write('error', message)
  }

  warn(message: string): void {
    this.write('warn', message)
  }

  info(message: string): void {
    this.write('info', message)
  }

  debug(message: string): void {
    this.write('debug', message)
  }

  private write(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf(this.currentLevel)) return
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${printable(redactSecrets(message))}\n`
    this.echo?.(line)
    try {
      if (this.size + line.length > MAX_LOG_BYTES) this.rotate()
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
