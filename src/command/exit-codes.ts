import {Errors} from '@oclif/core'
import {CommandError, ExitCode, MegaError, SessionExpiredError} from '../errors.js'

export interface Failure {
  exitCode: number
  message: string
}

/**
 * The one place errors become exit codes (megacmd-reference.md §3): MEGAcmd's own codes for its outcomes,
 * |API code| for API errors, 51 for bad usage (oclif's parser errors), 53 for missing local files,
 * 59 for anything unexpected.
 */
export function toFailure(error: unknown): Failure {
  if (error instanceof CommandError) return {exitCode: error.exitCode, message: error.message}
  // A request refused because the session is dead (killed, logged out elsewhere) reads like the tree sync's.
  if (error instanceof MegaError && error.code === -15) return {exitCode: ExitCode.NOTLOGGEDIN, message: new SessionExpiredError().message}
  if (error instanceof MegaError) return {exitCode: Math.abs(error.code), message: error.message}
  if (error instanceof Errors.CLIError) {
    // Parser failures (unknown flag, missing/unexpected args, bad flag value) are usage errors.
    return {exitCode: ExitCode.EARGS, message: firstLine(error.message)}
  }
  const errno = (error as NodeJS.ErrnoException)?.code
  if (errno === 'ENOENT') return {exitCode: ExitCode.NOTFOUND, message: `${(error as NodeJS.ErrnoException).path ?? ''}: No such file or directory`}
  if (errno === 'EACCES' || errno === 'EPERM') return {exitCode: ExitCode.NOTPERMITTED, message: `${(error as NodeJS.ErrnoException).path ?? ''}: Permission denied`}
  if ((error as Error)?.name === 'ExitPromptError') return {exitCode: ExitCode.CONFIRM_NO, message: 'Cancelled'}
  // Ctrl-C during a transfer: the shell convention 128 + SIGINT.
  if ((error as Error)?.name === 'AbortError') return {exitCode: 130, message: 'Interrupted'}
  return {exitCode: ExitCode.EUNEXPECTED, message: firstLine((error as Error)?.message ?? String(error))}
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')
}
