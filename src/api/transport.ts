import {createHash} from 'node:crypto'
import {MegaError} from '../errors.js'
import {ReplySplitter, type ReplySplit} from './reply-splitter.js'
import {logRequest} from './request-log.js'
import {USER_AGENT} from './user-agent.js'
import {apiPost, ProxyFailure, type ApiPostReply} from '../network/api-post.js'

/**
 * The `cs` command channel: POST {apiUrl}cs?id=SEQ[&sid=…][&n=…] with a JSON array of commands; the reply
 * is an array with one element per command, or a bare negative number for the whole request
 * (mega-api.md §1.1). Modelled on megajs API.request (sequence id, sid/n query, X-Hashcash, EAGAIN retry),
 * but megajs sends exactly one command per request and turns error numbers into strings, so it cannot
 * carry batches or typed errors; this transport keeps its wire behaviour and adds both.
 */
export interface TransportOptions {
  apiUrl: string
  /** Session id (b64) once logged in. */
  sid?: string
  /** Public handle of a folder link the requests act inside (`&n=`). */
  folderHandle?: string
  /** Retries of EAGAIN / HTTP 5xx / network errors before giving up. */
  maxRetries?: number
  /** Called before each retry with the attempt number and the delay, for -v logging. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void
}

export type ApiReply = unknown

/** HTTP statuses of a busy or restarting MEGA front end, retried with backoff. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504])

/** A busy front end: retried, and reported as ETEMPUNAVAIL (18) if it stays busy. */
class TransientHttpError extends MegaError {
  constructor(message: string) {
    super(-18, message)
  }
}

/** What the consumer of a split reply threw: passed on as it is, never retried. */
class SplitConsumerError extends Error {
  constructor(override readonly cause: unknown) {
    super('the consumer of a split reply failed')
  }
}

/**
 * A `cs` reply taken apart while it arrives (reply-splitter.ts). What the consumer throws becomes a
 * SplitConsumerError, and a reply that is not JSON the error `notJson` makes.
 */
class SplitReply {
  handedOver = false
  private readonly splitter: ReplySplitter

  constructor(split: ReplySplit, private readonly notJson: () => MegaError) {
    this.splitter = new ReplySplitter({keys: split.keys, onItems: (key, items) => {
      this.handedOver = true
      split.onItems(key, items)
    }})
  }

  write(chunk: Buffer): void {
    try {
      this.splitter.write(chunk)
    } catch (error) {
      if (error instanceof SyntaxError) throw this.notJson()
      // The caller's own failure (writing what it was handed): never a reason to send the request again.
      throw new SplitConsumerError(error)
    }
  }

  end(): unknown {
    try {
      return this.splitter.end()
    } catch {
      throw this.notJson()
    }
  }
}

function notMega(apiUrl: string, what: string): MegaError {
  return new MegaError(-18, `${apiUrl} answered ${what}: is it a MEGA API server? (check MEGA_API_URL)`)
}

/** The errno code of a failed connection (ECONNREFUSED, …), else the error's message. */
function describeNetworkError(error: unknown): string {
  if (error instanceof ProxyFailure) {
    const code = (error.cause as NodeJS.ErrnoException)?.code
    // Without a code the cause says itself what the proxy did ("the proxy … refused the tunnel …").
    return code ? `${code} ${error.message}` : describeNetworkError(error.cause)
  }
  return (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error)
}

/**
 * No byte moving for this long fails an API request (and it is retried): undici's default headers and body timeouts,
 * which the API client had while it used fetch().
 */
const API_TIMEOUT_MS = 300_000

const DEFAULT_RETRIES = 7
// EAGAIN backoff: 250 ms doubling, capped (megajs waits 2-16 s; megatools 0.25 s doubling — mega-api.md §1.3).
const BASE_DELAY_MS = 250
const MAX_DELAY_MS = 8000

export class Transport {
  private seq = Math.floor(Math.random() * 9e9) + 1e9

  constructor(readonly options: TransportOptions) {}

  get apiUrl(): string {
    return this.options.apiUrl
  }

  /**
   * Sends one batch and returns the per-command replies (numbers < 0 are left for the caller). With `split`, the
   * chosen arrays of the first reply are handed over while the reply arrives (reply-splitter.ts) and come back
   * empty; a reply cut off after some of them were handed over is not retried, since they cannot be taken back.
   */
  async send(commands: object[], split?: ReplySplit): Promise<ApiReply[]> {
    // The same id is reused when a batch is resent, so the server can de-duplicate it (SDK "idempotence").
    const id = String(this.seq++)
    const body = JSON.stringify(commands)
    let hashcash: string | undefined
    const retries = this.options.maxRetries ?? DEFAULT_RETRIES
    logRequest('cs', commands)
    for (let attempt = 0; ; attempt++) {
      let retry: MegaError
      const splitter = split && new SplitReply(split, () => notMega(this.apiUrl, 'a reply that is not JSON on cs'))
      try {
        const response = await apiPost(this.url('cs', {id}), {
          headers: {'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...(hashcash ? {'X-Hashcash': hashcash} : {})},
          body,
          timeoutMs: API_TIMEOUT_MS,
        }, splitter && ((head) => (head.status === 200 ? (chunk) => splitter.write(chunk) : undefined)))
        const challenge = response.headers.get('x-hashcash')
        if (response.status === 402 && challenge) {
          hashcash = solveHashcash(challenge)
          continue
        }
        this.checkStatus(response, 'cs')
        const reply = splitter ? splitter.end() : this.jsonOf(response, 'cs')
        if (Array.isArray(reply)) return reply
        if (typeof reply === 'number') {
          if (reply !== -3 && reply !== -4) throw new MegaError(reply < 0 ? reply : -1)
          retry = new MegaError(reply)
        } else if (reply && typeof reply === 'object' && typeof (reply as {err?: unknown}).err === 'number') {
          throw new MegaError((reply as {err: number}).err)
        } else {
          throw notMega(this.apiUrl, 'a malformed reply')
        }
      } catch (error) {
        if (error instanceof TransientHttpError) retry = error
        else if (error instanceof SplitConsumerError) throw error.cause
        else if (error instanceof MegaError) throw error
        // A MegaError is never retried: once elements were handed over, the request must not run again.
        else if (splitter?.handedOver) throw new MegaError(-18, `the reply of the MEGA API at ${this.apiUrl} was cut off (${describeNetworkError(error)})`)
        else retry = new MegaError(-18, `cannot reach the MEGA API at ${this.apiUrl} (${describeNetworkError(error)})`)
      }
      if (attempt >= retries) throw retry
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)
      this.options.onRetry?.(attempt + 1, delay, retry.message)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }

  /** A raw POST to another endpoint of the API host (the `sc` channel). */
  async post(endpoint: string, query: Record<string, string>): Promise<unknown> {
    let response: ApiPostReply
    logRequest(endpoint)
    try {
      response = await apiPost(this.url(endpoint, query), {headers: {'User-Agent': USER_AGENT}, timeoutMs: API_TIMEOUT_MS})
    } catch (error) {
      throw new MegaError(-18, `cannot reach the MEGA API at ${this.apiUrl} (${describeNetworkError(error)})`)
    }
    this.checkStatus(response, endpoint)
    return this.jsonOf(response, endpoint)
  }

  /**
   * MEGA answers 200 with JSON, and a busy front end answers 500/502/503/504, which the SDK retries (HttpReq
   * failure → backoff). Any other status, or a body that is not JSON, does not come from a MEGA API server at all:
   * retrying it for half a minute would only hide a wrong MEGA_API_URL.
   */
  private checkStatus(response: ApiPostReply, endpoint: string): void {
    const status = `HTTP ${response.status} ${response.reason}`.trim()
    if (TRANSIENT_STATUSES.has(response.status)) throw new TransientHttpError(`the MEGA API at ${this.apiUrl} answered ${status}`)
    if (response.status !== 200) throw notMega(this.apiUrl, `${status} on ${endpoint}`)
  }

  private jsonOf(response: ApiPostReply, endpoint: string): unknown {
    try {
      return JSON.parse(response.body.toString('utf8'))
    } catch {
      throw notMega(this.apiUrl, `a reply that is not JSON on ${endpoint}`)
    }
  }

  private url(endpoint: string, query: Record<string, string>): string {
    const params = new URLSearchParams(query)
    if (this.options.sid) params.set('sid', this.options.sid)
    if (this.options.folderHandle) params.set('n', this.options.folderHandle)
    return `${this.options.apiUrl}${endpoint}?${params}`
  }
}

/**
 * Hashcash proof of work asked for with HTTP 402 + `X-Hashcash: 1:easiness:x:token` (mega-api.md §1.4;
 * megajs generateHashcashToken, webclient api.js).
 */
export function solveHashcash(challenge: string): string {
  const [version, easinessText, , token] = challenge.split(':')
  if (version !== '1' || !token) throw new MegaError(-1, `unsupported hashcash challenge ${challenge}`)
  const easiness = Number(easinessText)
  const threshold = ((((easiness & 63) << 1) + 1) << ((easiness >> 6) * 7 + 3)) >>> 0
  const tokenBytes = Buffer.from(token, 'base64url')
  const buffer = Buffer.alloc(4 + 262144 * tokenBytes.length)
  for (let i = 0; i < 262144; i++) tokenBytes.copy(buffer, 4 + i * tokenBytes.length)
  for (let prefix = 0; ; prefix++) {
    buffer.writeUInt32LE(prefix >>> 0, 0)
    if (createHash('sha256').update(buffer).digest().readUInt32BE(0) <= threshold) {
      return `1:${token}:${buffer.subarray(0, 4).toString('base64url')}`
    }
  }
}
