/**
 * Log levels as MEGAcmd numbers and names them (MegaApi::LOG_LEVEL_FATAL = 0 … LOG_LEVEL_MAX = 5, printed VERBOSE:
 * MEGAcmd src/megacmdutils.cpp getLogLevelStr / getLogLevelNum). The index in LOG_LEVELS is that number.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug', 'verbose'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)
}

/** `warn` was this log's name for WARNING before it took MEGAcmd's levels (`server --log-level=warn`, MEGA_SHELL_LOG_LEVEL). */
const ALIASES: Readonly<Record<string, LogLevel>> = {warn: 'warning'}

/**
 * A level as `log` takes it: a name in upper or lower case (MEGAcmd accepts exactly those two spellings; any case
 * here), or a number, clamped to 0–5 as MEGAcmd does (`log 9` is VERBOSE). Undefined for anything else.
 */
export function parseLogLevel(text: string): LogLevel | undefined {
  const name = text.toLowerCase()
  if (isLogLevel(name)) return name
  if (ALIASES[name]) return ALIASES[name]
  if (!/^[+-]?\d+$/.test(text.trim())) return undefined
  return LOG_LEVELS[Math.min(LOG_LEVELS.length - 1, Math.max(0, Number(text)))]
}

/** MEGAcmd's name of a level: `DEBUG`, `VERBOSE`, … */
export function logLevelName(level: LogLevel): string {
  return level.toUpperCase()
}

/** Whether a line of `level` is written when the log is set to `threshold`. */
export function logs(threshold: LogLevel, level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold)
}
