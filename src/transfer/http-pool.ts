import {HttpConnection, StaleConnectionError, type TransferOrigin} from './http-connection.js'
import type {ResponseSink} from './http-response-parser.js'
import {proxyFor} from '../network/proxy.js'
import {openTunnel} from './proxy-tunnel.js'

/**
 * Keep-alive connections to transfer hosts, shared by all transfers so that many small files in a row reuse warm
 * sockets. Transfer URLs may be plain http:// (the data is already encrypted, `ssl:0`) or https://
 * (mega-api.md §5.1). Each transfer limits its own parallelism; the pool only keeps idle connections, which are
 * unref'd (they never keep a CLI process alive) and closed after a few idle seconds.
 */
export const DEFAULT_SOCKET_TIMEOUT_MS = 60_000
const MAX_IDLE_PER_ORIGIN = 32

const idle = new Map<string, HttpConnection[]>()

export interface TransferRequest {
  method: 'GET' | 'POST'
  signal?: AbortSignal
  /** A request that moves no byte for this long fails. */
  timeoutMs?: number
  /** POST body as slices, sent in order without joining them. */
  body?: readonly Buffer[]
  headers?: Readonly<Record<string, string>>
  /** Called as body slices reach the socket, with the bytes written so far. */
  onBodyProgress?: (bytesWritten: number) => void
}

/** Sends one request to `url` and streams the reply into `sink`; resolves when the reply is complete. */
export async function httpExchange(url: URL, request: TransferRequest, sink: ResponseSink): Promise<void> {
  const origin = originOf(url)
  // Through the profile's proxy, if any: connections are pooled per proxy too, so a new setting takes effect at once.
  const proxy = proxyFor(url)
  const key = `${proxy ? `${proxy.href} ` : ''}${origin.protocol}//${origin.hostname}:${origin.port}`
  const {signal} = request
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted()
    const events = {idle: (c: HttpConnection) => putIdle(key, c), closed: (c: HttpConnection) => dropIdle(key, c)}
    const connection = takeIdle(key) ?? (proxy
      ? new HttpConnection(origin, events, await openTunnel(proxy, origin.hostname.replace(/^\[|\]$/g, ''), origin.port, request.timeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS))
      : new HttpConnection(origin, events))
    const onAbort = (): void => connection.destroy(signal!.reason)
    signal?.addEventListener('abort', onAbort, {once: true})
    try {
      await connection.exchange({
        method: request.method,
        target: url.pathname + url.search,
        body: request.body,
        headers: request.headers,
        onBodyProgress: request.onBodyProgress,
        timeoutMs: request.timeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
      }, sink)
      return
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      // A pooled socket the server closed while idle: nothing was processed, so resend at once on a new one.
      if (error instanceof StaleConnectionError && attempt < 3) continue
      throw error
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }
}

/** Closes every idle pooled connection (tests, daemon shutdown). */
export function closeTransferConnections(): void {
  for (const list of idle.values()) for (const connection of list) connection.destroy()
  idle.clear()
}

function originOf(url: URL): TransferOrigin {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`transfer URLs are http:// or https://, got ${url.protocol}`)
  }
  return {protocol: url.protocol, hostname: url.hostname, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80)}
}

function takeIdle(key: string): HttpConnection | undefined {
  const list = idle.get(key)
  while (list && list.length > 0) {
    // Most recently used first: the warmest socket, least likely to have been closed by the server.
    const connection = list.pop()!
    if (connection.usable) return connection
  }
  return undefined
}

function putIdle(key: string, connection: HttpConnection): void {
  let list = idle.get(key)
  if (!list) idle.set(key, (list = []))
  if (list.length >= MAX_IDLE_PER_ORIGIN) connection.destroy()
  else list.push(connection)
}

function dropIdle(key: string, connection: HttpConnection): void {
  const list = idle.get(key)
  const at = list?.indexOf(connection) ?? -1
  if (at >= 0) list!.splice(at, 1)
}
