import {createHash} from 'node:crypto'
import {MegaError} from '../errors.js'
import {ReplySplitter, type ReplySplit} from './reply-splitter.js'
import {logRequest} from './request-log.js'
import {USER_AGENT} from './user-agent.js'
import {ProxyFailure, proxiedFetch} from '../network/proxied-fetch.js'

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

function notMega(apiUrl: string, what: string): MegaError {
  return new MegaError(-18, `${apiUrl} answered ${what}: is it a MEGA API server? (check MEGA_API_URL)`)
}

/** fetch() says "fetch failed" and keeps the reason (ECONNREFUSED, …) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (error instanceof ProxyFailure) return `${describeNetworkError(error.cause)} ${error.message}`
  const cause = (error as Error)?.cause as (Error & {code?: string}) | undefined
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
}

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
      try {
        const response = await proxiedFetch(this.url('cs', {id}), {
          method: 'POST',
          headers: {'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...(hashcash ? {'X-Hashcash': hashcash} : {})},
          body,
        })
        const challenge = response.headers.get('x-hashcash')
        if (response.status === 402 && challenge) {
          hashcash = solveHashcash(challenge)
          continue
        }
        const reply = await this.replyOf(response, 'cs', split)
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
    let response: Response
    logRequest(endpoint)
    try {
      response = await proxiedFetch(this.url(endpoint, query), {method: 'POST', headers: {'User-Agent': USER_AGENT}})
    } catch (error) {
      throw new MegaError(-18, `cannot reach the MEGA API at ${this.apiUrl} (${describeNetworkError(error)})`)
    }
    return this.replyOf(response, endpoint)
  }

  /**
   * The JSON body of an API answer. MEGA answers 200 with JSON, and a busy front end answers 500/502/503/504,
   * which the SDK retries (HttpReq failure → backoff). Any other status, or a body that is not JSON, does not
   * come from a MEGA API server at all: retrying it for half a minute would only hide a wrong MEGA_API_URL.
   */
  private async replyOf(response: Response, endpoint: string, split?: ReplySplit): Promise<unknown> {
    if (TRANSIENT_STATUSES.has(response.status)) {
      await response.body?.cancel()
      throw new TransientHttpError(`the MEGA API at ${this.apiUrl} answered HTTP ${response.status} ${response.statusText}`.trim())
    }
    if (response.status !== 200) {
      await response.body?.cancel()
      throw notMega(this.apiUrl, `HTTP ${response.status} ${response.statusText}`.trim() + ` on ${endpoint}`)
    }
    if (split && response.body) return this.splitReply(response.body, endpoint, split)
    try {
      return await response.json()
    } catch {
      throw notMega(this.apiUrl, `a reply that is not JSON on ${endpoint}`)
    }
  }

  private async splitReply(body: ReadableStream<Uint8Array>, endpoint: string, split: ReplySplit): Promise<unknown> {
    let handedOver = false
    const splitter = new ReplySplitter({keys: split.keys, onItems: (key, items) => {
      handedOver = true
      split.onItems(key, items)
    }})
    const reader = body.getReader()
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        // A MegaError is never retried (send): once elements were handed over, the request must not run again.
        if (handedOver) throw new MegaError(-18, `the reply of the MEGA API at ${this.apiUrl} was cut off (${describeNetworkError(error)})`)
        throw error
      }
      if (chunk.done) break
      try {
        splitter.write(chunk.value)
      } catch (error) {
        await reader.cancel().catch(() => {})
        if (error instanceof SyntaxError) throw notMega(this.apiUrl, `a reply that is not JSON on ${endpoint}`)
        // The caller's own failure (writing what it was handed): never a reason to send the request again.
        throw new SplitConsumerError(error)
      }
    }
    try {
      return splitter.end()
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
