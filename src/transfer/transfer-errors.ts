import {MegaError} from '../errors.js'

/** A transfer request answered with an HTTP status the protocol does not expect. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError'
  constructor(readonly status: number, method: string) {
    // The URL is left out on purpose: transfer URLs carry access tokens.
    super(`${method} of transfer data failed with HTTP ${status}`)
  }

  /** 5xx answers are transient (SDK and megajs retry them); 509 is the transfer quota, handled apart. */
  get transient(): boolean {
    return this.status >= 500 && this.status !== 509
  }
}

/** The connection broke or the reply had the wrong size: worth another attempt. */
export class TransferNetworkError extends Error {
  override readonly name = 'TransferNetworkError'
}

/**
 * HTTP 509 on a transfer URL: the transfer quota is used up (mega-api.md §5.3; megajs handleMegaErrors,
 * megatools to_error). The server says in `X-MEGA-Time-Left` how many seconds until it is available again.
 */
export class TransferQuotaError extends MegaError {
  constructor(readonly secondsLeft: number | undefined) {
    super(-17, secondsLeft === undefined
      ? 'transfer quota exceeded (EOVERQUOTA -17)'
      : `transfer quota exceeded (EOVERQUOTA -17); available again in ${secondsLeft} s`)
  }
}

/** The error for an HTTP 509 reply, with the wait from its `X-MEGA-Time-Left` header. */
export function quotaError(headers: Map<string, string>): TransferQuotaError {
  const left = Number(headers.get('x-mega-time-left'))
  return new TransferQuotaError(headers.has('x-mega-time-left') && Number.isFinite(left) ? left : undefined)
}

/**
 * Reads an upload reply body (mega-api.md §5.1 item 3): empty for a non-final chunk, a negative number as ASCII
 * text for an error, otherwise the completion token. Returns the token bytes, or undefined for an empty body.
 */
export function parseUploadReply(body: Buffer): Buffer | undefined {
  if (body.length === 0) return undefined
  // Tokens are 36 bytes; an error is a short "-N" (megajs treats any body whose Number() is negative as an error).
  if (body.length < 12) {
    const text = body.toString('latin1').trim()
    if (/^-\d+$/.test(text)) throw new MegaError(Number(text))
  }
  return body
}

/** True for failures that another attempt may cure (network errors, short replies, 5xx). */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.transient
  if (error instanceof TransferNetworkError) return true
  // The upload servers' -3 is EAGAIN: the same chunk may be sent again; their other errors are final
  // (webclient upload2.js ulErrorMap; the SDK also retries it).
  if (error instanceof MegaError) return error.code === -3
  if (!(error instanceof Error)) return false
  if (error.name === 'AbortError') return false
  const code = (error as NodeJS.ErrnoException).code
  return code !== undefined && TRANSIENT_CODES.has(code)
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EAI_AGAIN', 'ENOTFOUND', 'EADDRNOTAVAIL', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
])
