import net from 'node:net'
import tls from 'node:tls'

import {ResponseParser, type ResponseSink} from './http-response-parser.js'
import {TransferNetworkError} from './transfer-errors.js'

/**
 * One keep-alive HTTP/1.1 connection to a transfer host, plain TCP or TLS. Incoming bytes are read into one
 * reused buffer (`onread`) and parsed in place: on loopback this moves ~2-3 GB/s against ~0.5-0.7 GB/s through
 * node:http, whose two stream layers allocate and re-emit every 64 KiB (measured on Node 20, bench/transfer-data.ts).
 */
export interface TransferOrigin {
  /** "http:" or "https:" */
  protocol: string
  hostname: string
  port: number
}

/** Bytes per socket read: large enough to amortise the per-read cost, small enough for cache-friendly crypto. */
const READ_BUFFER_SIZE = 262144
const IDLE_TIMEOUT_MS = 4000

export interface ExchangeRequest {
  method: 'GET' | 'POST'
  /** Path and query, e.g. "/dl/abc/0-1023". */
  target: string
  body?: readonly Buffer[]
  /** Further request headers (the API's Content-Type, User-Agent, X-Hashcash); a POST body is octet-stream by default. */
  headers?: Readonly<Record<string, string>>
  onBodyProgress?: (bytesWritten: number) => void
  timeoutMs: number
}

/** How a connection tells its pool about its state. */
export interface ConnectionEvents {
  /** The connection finished a request and can take another. */
  idle(connection: HttpConnection): void
  /** The connection closed while idle. */
  closed(connection: HttpConnection): void
}

/** A failure on a reused idle connection before any reply byte: the server had closed it; try a new one. */
export class StaleConnectionError extends TransferNetworkError {}

export class HttpConnection {
  readonly socket: net.Socket
  private requests = 0
  private closed = false
  private active?: {
    parser: ResponseParser
    bodyDone: boolean
    resolve: () => void
    reject: (error: unknown) => void
  }

  /** A reusable reply arrived before the last body byte was handed to the kernel: idle once that write completes. */
  private idleAfterBody = false

  /** `tunnel`: a socket already through a proxy to the origin (proxy-tunnel.ts), instead of a direct connection. */
  constructor(readonly origin: TransferOrigin, private readonly events: ConnectionEvents, tunnel?: net.Socket) {
    const onread: net.OnReadOpts = {
      buffer: Buffer.allocUnsafeSlow(READ_BUFFER_SIZE),
      callback: (n, buffer) => {
        this.receive((buffer as Buffer).subarray(0, n))
        return true
      },
    }
    const host = origin.hostname.replace(/^\[|\]$/g, '')
    const servername = net.isIP(host) ? undefined : host
    if (tunnel) {
      // A socket that exists already cannot take `onread`: its bytes come as 'data' events.
      this.socket = origin.protocol === 'https:' ? tls.connect({socket: tunnel, servername}) : tunnel
      this.socket.on('data', (bytes: Buffer) => this.receive(bytes))
      tunnel.resume()
    } else {
      // tls.connect honours `onread` like net.connect (Node docs, tls.connect options); @types/node 20 omits it.
      const tlsOptions: tls.ConnectionOptions & {onread: net.OnReadOpts} = {host, port: origin.port, servername, onread}
      this.socket = origin.protocol === 'https:' ? tls.connect(tlsOptions) : net.connect({host, port: origin.port, onread})
    }
    this.socket.setNoDelay(true)
    this.socket.on('error', (error) => this.fail(error))
    this.socket.on('end', () => this.onEnd())
    this.socket.on('close', () => this.onClose())
    this.socket.on('timeout', () => this.socket.destroy(new TransferNetworkError('transfer connection timed out')))
  }

  /** True when the connection carried a request before (and so may have been closed by the server meanwhile). */
  get reused(): boolean {
    return this.requests > 0
  }

  get usable(): boolean {
    return !this.closed && !this.active && !this.idleAfterBody && !this.socket.destroyed
  }

  /** Sends one request and feeds the reply to `sink`; resolves once the reply is complete. */
  exchange(request: ExchangeRequest, sink: ResponseSink): Promise<void> {
    if (!this.usable) return Promise.reject(new TransferNetworkError('connection not available'))
    return new Promise<void>((resolve, reject) => {
      this.active = {parser: new ResponseParser(sink), bodyDone: false, resolve, reject}
      this.socket.ref()
      this.socket.setTimeout(request.timeoutMs)
      this.write(request)
    })
  }

  destroy(error?: Error): void {
    this.socket.destroy(error)
  }

  private write(request: ExchangeRequest): void {
    const body = request.body ?? []
    const length = body.reduce((sum, slice) => sum + slice.length, 0)
    const {hostname, port, protocol} = this.origin
    const defaultPort = protocol === 'https:' ? 443 : 80
    let head = `${request.method} ${request.target} HTTP/1.1\r\nHost: ${hostname}${port === defaultPort ? '' : `:${port}`}\r\n` +
      'Connection: keep-alive\r\nAccept-Encoding: identity\r\n'
    const headers = {...(request.method === 'POST' ? {'Content-Type': 'application/octet-stream'} : {}), ...request.headers}
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
    if (request.method === 'POST') head += `Content-Length: ${length}\r\n`
    head += '\r\n'

    const active = this.active!
    this.socket.cork()
    this.socket.write(head, 'latin1')
    let written = 0
    for (const slice of body) {
      this.socket.write(slice, (error) => {
        if (error) return
        written += slice.length
        request.onBodyProgress?.(written)
      })
    }
    this.socket.write(Buffer.alloc(0), (error) => {
      if (error) return
      active.bodyDone = true
      if (this.idleAfterBody) {
        this.idleAfterBody = false
        this.goIdle()
      }
    })
    this.socket.uncork()
  }

  private receive(bytes: Buffer): void {
    const active = this.active
    if (!active) {
      // Nothing was asked: a server talking out of turn cannot be trusted with the next request.
      this.socket.destroy()
      return
    }
    try {
      active.parser.feed(bytes)
    } catch (error) {
      this.socket.destroy(error as Error)
      return
    }
    if (active.parser.done) this.complete()
  }

  private complete(): void {
    const active = this.active!
    this.active = undefined
    this.requests++
    if (!active.parser.keepAlive) {
      this.closed = true
      this.socket.destroy()
    } else if (active.bodyDone) {
      this.goIdle()
    } else {
      // The reply can overtake the callback of our last write (libuv reports write completions a loop turn
      // later); the connection is reusable once that write is confirmed.
      this.idleAfterBody = true
      this.socket.setTimeout(IDLE_TIMEOUT_MS)
    }
    active.resolve()
  }

  private goIdle(): void {
    if (this.closed || this.socket.destroyed) return
    // Idle: let the process exit, and close before servers typically drop idle sockets (Node's default is 5 s).
    this.socket.setTimeout(IDLE_TIMEOUT_MS)
    this.socket.unref()
    this.events.idle(this)
  }

  private onEnd(): void {
    const active = this.active
    if (!active) return
    try {
      active.parser.end()
      this.closed = true
      this.complete()
    } catch (error) {
      this.fail(error as Error)
    }
  }

  private fail(error: Error): void {
    this.closed = true
    const active = this.active
    if (!active) return
    this.active = undefined
    this.socket.destroy()
    const stale = this.reused && active.parser.untouched && isResetLike(error)
    active.reject(stale ? new StaleConnectionError(`reused connection closed by the server: ${error.message}`) : error)
  }

  private onClose(): void {
    this.closed = true
    if (this.active) this.fail(new TransferNetworkError('connection closed before the HTTP reply was complete'))
    else this.events.closed(this)
  }
}

function isResetLike(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ECONNRESET' || code === 'EPIPE' || error.message.startsWith('connection closed')
}
