/**
 * Typed errors. Every failure a command can report is one of these; `command/exit-codes.ts` maps them to
 * MEGAcmd's exit codes in one place.
 */

import {API_CODE_NAMES} from './api/api-codes.js'

/** Names of the API error numbers, by number (api/api-codes.ts). */
export const API_ERROR_NAMES = API_CODE_NAMES

const API_ERROR_TEXT: Record<number, string> = {
  [-1]: 'internal error', [-2]: 'invalid arguments', [-3]: 'server busy, try again', [-4]: 'rate limit exceeded',
  [-5]: 'operation failed', [-6]: 'too many requests', [-7]: 'out of range', [-8]: 'expired',
  [-9]: 'not found', [-10]: 'circular linkage', [-11]: 'access denied', [-12]: 'already exists',
  [-13]: 'incomplete', [-14]: 'cryptographic error', [-15]: 'invalid or expired session', [-16]: 'blocked',
  [-17]: 'over quota', [-18]: 'temporarily unavailable', [-19]: 'too many connections', [-20]: 'write failed',
  [-21]: 'read failed', [-22]: 'invalid application key', [-23]: 'SSL verification failed',
  [-24]: 'not enough quota', [-25]: 'request rolled back', [-26]: 'two-factor authentication code required',
  [-27]: 'not allowed for business sub-users', [-28]: 'business account expired', [-29]: 'over storage quota (paywall)',
}

/** An error number returned by the MEGA API (negative), with a readable message. */
export class MegaError extends Error {
  override readonly name = 'MegaError'
  constructor(readonly code: number, message?: string) {
    super(message ?? `${API_ERROR_TEXT[code] ?? 'API error'} (${API_ERROR_NAMES[code] ?? 'E' + -code} ${code})`)
  }
}

/** The SDK's texts for API errors (MegaError::getErrorString), which MEGAcmd prints in its messages. */
const SDK_ERROR_TEXT: Record<number, string> = {
  [-1]: 'Internal error', [-2]: 'Invalid argument', [-3]: 'Request failed, retrying', [-4]: 'Rate limit exceeded',
  [-5]: 'Failed permanently', [-6]: 'Too many concurrent connections or transfers', [-7]: 'Out of range',
  [-8]: 'Expired', [-9]: 'Not found', [-10]: 'Circular linkage detected', [-11]: 'Access denied',
  [-12]: 'Already exists', [-13]: 'Incomplete', [-14]: 'Invalid key/Decryption error', [-15]: 'Bad session ID',
  [-16]: 'Blocked', [-17]: 'Over quota', [-18]: 'Temporarily not available', [-19]: 'Connection overflow',
  [-20]: 'Write error', [-21]: 'Read error', [-22]: 'Invalid application key', [-23]: 'SSL verification failed',
  [-24]: 'Not enough quota', [-25]: 'Strongly-grouped request rolled back', [-26]: 'Multi-factor authentication required',
  // -27 … -30 and the SDK's local codes as MEGAcmd 2.5.2 (SDK fae76a36) prints them with `errorcode N`.
  [-27]: 'Access denied for users', [-28]: 'Business account has expired', [-29]: 'Storage Quota Exceeded. Upgrade now',
  [-30]: 'A business error where a subuser has not yet encrypted their master key for the admin user and tries to perform a disallowed command (currently u and p)',
  [-1000]: 'Insufficient disk space', [-1001]: 'Local timeout error', [-1003]: 'Local network error',
}

export function sdkErrorText(code: number): string {
  return SDK_ERROR_TEXT[code] ?? 'Unknown error'
}

/**
 * MEGAcmd's report of a failed request, "Failed to <what>: <SDK error text>" with exit |code|
 * (MegaCmdExecuter::checkNoErrors). Anything that is not an API error is returned unchanged, to rethrow.
 */
export function failedTo(what: string, error: unknown): unknown {
  return error instanceof MegaError ? new MegaError(error.code, `Failed to ${what}: ${sdkErrorText(error.code)}`) : error
}

/** MEGAcmd's own outcome codes (megacmd-reference.md §3); the process exits with these numbers. */
export enum ExitCode {
  OK = 0,
  CONFIRM_NO = 12,
  EARGS = 51,
  INVALIDEMAIL = 52,
  NOTFOUND = 53,
  INVALIDSTATE = 54,
  INVALIDTYPE = 55,
  NOTPERMITTED = 56,
  NOTLOGGEDIN = 57,
  NOFETCH = 58,
  EUNEXPECTED = 59,
  EXISTS = 64,
}

/** MEGAcmd's texts for its own codes (MEGAcmd src/megacmdutils.cpp getMCMDErrorString; 60 is MCMD_REQCONFIRM). */
const MEGACMD_CODE_TEXT: Readonly<Record<number, string>> = {
  [ExitCode.OK]: 'Everything OK', [ExitCode.EARGS]: 'Wrong arguments', [ExitCode.INVALIDEMAIL]: 'Invalid email',
  [ExitCode.NOTFOUND]: 'Resource not found', [ExitCode.INVALIDSTATE]: 'Invalid state', [ExitCode.INVALIDTYPE]: 'Invalid type',
  [ExitCode.NOTPERMITTED]: 'Operation not allowed', [ExitCode.NOTLOGGEDIN]: 'Needs logging in', [ExitCode.NOFETCH]: 'Nodes not fetched',
  [ExitCode.EUNEXPECTED]: 'Unexpected failure', 60: 'Confirmation required',
}

/**
 * What an exit code or API error number means, sign-insensitive (`errorcode N`): MEGAcmd's own text when it is one
 * of MEGAcmd's codes, else the SDK's text of API error -|N| (MEGAcmd src/megacmdexecuter.cpp "errorcode").
 */
export function errorCodeText(code: number): string {
  const magnitude = Math.abs(code)
  return MEGACMD_CODE_TEXT[magnitude] ?? sdkErrorText(-magnitude)
}

/** A failure that MEGAcmd reports with one of its own codes (usage errors, missing paths, …). */
export class CommandError extends Error {
  override readonly name = 'CommandError'
  constructor(message: string, readonly exitCode: ExitCode | number) {
    super(message)
  }
}

export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, ExitCode.EARGS)
  }
}

export class NotFoundError extends CommandError {
  constructor(message: string) {
    super(message, ExitCode.NOTFOUND)
  }
}

export class NotLoggedInError extends CommandError {
  constructor(message = 'Not logged in.') {
    super(message, ExitCode.NOTLOGGEDIN)
  }
}

/** The server no longer knows our session (logged out elsewhere, killed, expired). */
export class SessionExpiredError extends CommandError {
  constructor() {
    super('Your session is no longer valid (it was closed or killed). Please log in again.', ExitCode.NOTLOGGEDIN)
  }
}

/** A download whose data does not match its MAC: nothing is written where the file was expected. */
export class IntegrityError extends CommandError {
  constructor(message: string) {
    // MEGAcmd reports failed transfers with the SDK's code; a MAC mismatch is EKEY (14).
    super(message, 14)
  }
}
