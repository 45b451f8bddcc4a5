import {createHash} from 'node:crypto'
import {MegaError} from '../errors.js'
import {USER_AGENT} from './user-agent.js'

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

  /** Sends one batch and returns the per-command replies (numbers < 0 are left for the caller). */
  async send(commands: object[]): Promise<ApiReply[]> {
    // The same id is reused when a batch is resent, so the server can de-duplicate it (SDK "idempotence").
    const id = String(this.seq++)
    const body = JSON.stringify(commands)
    let hashcash: string | undefined
    const retries = this.options.maxRetries ?? DEFAULT_RETRIES
    for (let attempt = 0; ; attempt++) {
      let reason: string
      try {
        const response = await fetch(this.url('cs', {id}), {
          method: 'POST',
          headers: {'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...(hashcash ? {'X-Hashcash': hashcash} : {})},
          body,
        })
        const challenge = response.headers.get('x-hashcash')
        if (response.status === 402 && challenge) {
          hashcash = solveHashcash(challenge)
          continue
        }
        if (response.status >= 500) {
          reason = `HTTP ${response.status}`
        } else if (!response.ok) {
          throw new MegaError(-1, `API server answered HTTP ${response.status} ${response.statusText}`)
        } else {
          const reply: unknown = await response.json()
          if (typeof reply === 'number') {
            if (reply === -3 || reply === -4) {
              reason = reply === -3 ? 'EAGAIN' : 'ERATELIMIT'
            } else {
              throw new MegaError(reply < 0 ? reply : -1)
            }
          } else if (Array.isArray(reply)) {
            return reply
          } else if (reply && typeof reply === 'object' && typeof (reply as {err?: unknown}).err === 'number') {
            throw new MegaError((reply as {err: number}).err)
          } else {
            throw new MegaError(-1, 'API server sent a malformed reply')
          }
        }
      } catch (error) {
        if (error instanceof MegaError) throw error
        reason = `network error: ${(error as Error).message}`
        if (attempt >= retries) throw new MegaError(-18, `cannot reach the MEGA API at ${this.apiUrl} (${(error as Error).cause ?? (error as Error).message})`)
      }
      if (attempt >= retries) throw new MegaError(-3)
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)
      this.options.onRetry?.(attempt + 1, delay, reason)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }

  /** A raw POST to another endpoint of the API host (the `sc` channel). */
  async post(endpoint: string, query: Record<string, string>): Promise<unknown> {
    const response = await fetch(this.url(endpoint, query), {method: 'POST', headers: {'User-Agent': USER_AGENT}})
    if (!response.ok) throw new MegaError(-18, `API server answered HTTP ${response.status} on ${endpoint}`)
    return response.json()
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
