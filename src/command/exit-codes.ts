import {Errors} from '@oclif/core'
import {CommandError, ExitCode, MegaError, SessionExpiredError} from '../errors.js'
import {printable} from '../format/printable.js'
import {isDamagedDatabase} from '../store/database.js'
import {InterruptedError} from './interrupt.js'

export interface Failure {
  exitCode: number
  message: string
}

/**
 * The one place errors become exit codes (megacmd-reference.md §3): MEGAcmd's own codes for its outcomes,
 * |API code| for API errors, 51 for bad usage (oclif's parser errors), 53 for missing local files,
 * 59 for anything unexpected. The message is one line, with secrets removed and control characters escaped.
 */
export function toFailure(error: unknown): Failure {
  const {exitCode, message} = classify(error)
  return {exitCode, message: printable(redactSecrets(message))}
}

function classify(error: unknown): Failure {
  if (error instanceof CommandError) return {exitCode: error.exitCode, message: error.message}
  if (error instanceof InterruptedError) return {exitCode: error.exitCode, message: error.message}
  // A request refused because the session is dead (killed, logged out elsewhere) reads like the tree sync's.
  if (error instanceof MegaError && error.code === -15) return {exitCode: ExitCode.NOTLOGGEDIN, message: new SessionExpiredError().message}
  if (error instanceof MegaError) return {exitCode: Math.abs(error.code), message: error.message}
  if (error instanceof Errors.CLIError) {
    // Parser failures (unknown flag, missing/unexpected args, bad flag value) are usage errors.
    return {exitCode: ExitCode.EARGS, message: firstLine(error.message)}
  }
  if (isDamagedDatabase(error)) return {exitCode: ExitCode.EUNEXPECTED, message: `The local cache is damaged (${(error as Error).message})`}
  const errno = (error as NodeJS.ErrnoException)?.code
  if (errno === 'ENOENT') return {exitCode: ExitCode.NOTFOUND, message: `${(error as NodeJS.ErrnoException).path ?? ''}: No such file or directory`}
  if (errno === 'EACCES' || errno === 'EPERM') return {exitCode: ExitCode.NOTPERMITTED, message: `${(error as NodeJS.ErrnoException).path ?? ''}: Permission denied`}
  if ((error as Error)?.name === 'ExitPromptError') return {exitCode: ExitCode.CONFIRM_NO, message: 'Cancelled'}
  // Ctrl-C during a transfer: the shell convention 128 + SIGINT.
  if ((error as Error)?.name === 'AbortError') return {exitCode: 130, message: 'Interrupted'}
  return {exitCode: ExitCode.EUNEXPECTED, message: firstLine((error as Error)?.message ?? String(error))}
}

/**
 * Session ids travel in URLs (`&sid=`, mega-api.md §1.1), and URLs end up in error texts (a failed fetch names
 * its URL): they are cut out of anything shown or logged.
 */
export function redactSecrets(text: string): string {
  return text.replace(/([?&](?:sid|csid|tsid)=)[^&\s)'"]+/gi, '$1…')
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')
}
