import type {ResponseHead} from '../transfer/http-response-parser.js'
import {httpExchange} from '../transfer/http-pool.js'
import {proxyFor, shownProxy} from './proxy.js'

/**
 * POSTs to the MEGA API (`cs`, `sc`, the live feed's wait URL) over the transfer engine's own keep-alive HTTP/1.1
 * connections (transfer/http-pool.ts), through the profile's proxy when one is set (an HTTP CONNECT tunnel, as the
 * SDK's curl does for a CUSTOM proxy). Not fetch(): Node's fetch is undici, whose HTTP parser is WebAssembly that V8
 * compiles on first use, ~45 ms of the process's start and 26 MiB of peak RSS on a background thread for every
 * `mega` command (profiled with --cpu-prof and strace -k on Node 20: TurboFan compiling llhttp's wasm).
 */
export interface ApiPostRequest {
  headers: Readonly<Record<string, string>>
  body?: string
  signal?: AbortSignal
  /** The request fails when no byte moves for this long; 0 = never (a long poll). */
  timeoutMs: number
}

export interface ApiPostReply {
  status: number
  reason: string
  headers: ReadonlyMap<string, string>
  /** The body, unless it was handed to a stream consumer as it arrived. */
  body: Buffer
}

/**
 * Sends the POST and resolves with the reply. `streamTo` sees the status and headers first; when it returns a
 * consumer, the body goes there as it arrives (each chunk valid only during the call) instead of into `body`. What
 * the consumer throws abandons the connection and is what the call rejects with.
 */
export async function apiPost(
  address: string,
  request: ApiPostRequest,
  streamTo?: (head: ResponseHead) => ((chunk: Buffer) => void) | undefined,
): Promise<ApiPostReply> {
  const url = new URL(address)
  const chunks: Buffer[] = []
  let head: ResponseHead | undefined
  let consumer: ((chunk: Buffer) => void) | undefined
  let consumerFailure: {error: unknown} | undefined
  const proxy = proxyFor(url)
  try {
    await httpExchange(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body === undefined ? [] : [Buffer.from(request.body)],
      signal: request.signal,
      timeoutMs: request.timeoutMs,
    }, {
      head(received) {
        head = received
        consumer = streamTo?.(received)
      },
      data(chunk) {
        if (!consumer) return void chunks.push(Buffer.from(chunk))
        try {
          consumer(chunk)
        } catch (error) {
          consumerFailure = {error}
          throw error
        }
      },
    })
  } catch (error) {
    if (consumerFailure) throw consumerFailure.error
    if (proxy && !request.signal?.aborted) throw new ProxyFailure(shownProxy(proxy), error)
    throw error
  }
  return {status: head!.status, reason: head!.reason, headers: head!.headers, body: Buffer.concat(chunks)}
}

/** A request that failed on its way through the proxy (refused, unreachable, or the proxy said no). */
export class ProxyFailure extends Error {
  constructor(readonly proxy: string, override readonly cause: unknown) {
    super(`through the proxy ${proxy}`)
  }
}
