import {randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A tiny real HTTP server on 127.0.0.1 that behaves like MEGA's transfer hosts for the data path only
 * (mega-api.md §5.1, §5.3): `POST <upload url>/<offset>` stores the body at that offset and answers the request that
 * completes the file with a 36-character token (empty body otherwise); `GET <download url>/<start>-<end>` answers
 * HTTP 200 with exactly those bytes. Faults can be queued to test error paths. Not a mock of the client: the client
 * under test talks real HTTP to it.
 */
export type Fault =
  | {kind: 'reply'; body: string}
  | {kind: 'status'; status: number; headers?: Record<string, string>}
  | {kind: 'drop'}
  /** Read the request, never answer (the client's inactivity timeout must fire). */
  | {kind: 'stall'}

interface Blob {
  data: Buffer
  received: Map<number, number>
  receivedBytes: number
  token?: string
}

export interface LoopbackBlobServerOptions {
  /** Serve ranges with chunked transfer coding (no Content-Length), as a streaming server would. */
  chunked?: boolean
}

export class LoopbackBlobServer {
  private readonly server: Server
  private readonly blobs = new Map<string, Blob>()
  private readonly faults: Fault[] = []
  /** Requests seen, as "METHOD /path" (for assertions on what the client sent). */
  readonly requests: string[] = []
  private port = 0

  constructor(private readonly options: LoopbackBlobServerOptions = {}) {
    this.server = createServer((req, res) => this.handle(req, res))
    this.server.keepAliveTimeout = 10_000
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** A new upload slot of `size` bytes; returns the upload URL (the download URL is the same with /dl/). */
  createUpload(size: number): {uploadUrl: string; downloadUrl: string; id: string} {
    const id = randomBytes(6).toString('hex')
    this.blobs.set(id, {data: Buffer.alloc(size), received: new Map(), receivedBytes: 0})
    return {id, uploadUrl: `http://127.0.0.1:${this.port}/ul/${id}`, downloadUrl: `http://127.0.0.1:${this.port}/dl/${id}`}
  }

  /** A download URL serving `data` (ciphertext) directly. */
  serve(data: Buffer): string {
    const id = randomBytes(6).toString('hex')
    this.blobs.set(id, {data, received: new Map(), receivedBytes: data.length})
    return `http://127.0.0.1:${this.port}/dl/${id}`
  }

  /** The stored bytes of a slot (mutable: tests corrupt them). */
  stored(id: string): Buffer {
    return this.blobs.get(id)!.data
  }

  /** The completion token the server handed out for an upload slot, once complete. */
  token(id: string): string | undefined {
    return this.blobs.get(id)?.token
  }

  /** The next request gets this fault instead of its normal answer. */
  injectFault(fault: Fault): void {
    this.faults.push(fault)
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(`${req.method} ${req.url}`)
    const fault = this.faults.shift()
    if (fault) {
      req.resume()
      if (fault.kind === 'drop') return void req.socket.destroy()
      if (fault.kind === 'stall') return
      if (fault.kind === 'status') return void res.writeHead(fault.status, fault.headers).end()
      return void res.end(fault.body)
    }
    const match = /^\/(ul|dl)\/([0-9a-f]+)\/(\d+)(?:-(\d+))?$/.exec(req.url ?? '')
    const blob = match && this.blobs.get(match[2])
    if (!match || !blob) return void res.writeHead(404).end()
    if (match[1] === 'ul' && req.method === 'POST') return this.receive(blob, Number(match[3]), req, res)
    if (match[1] === 'dl' && (req.method === 'GET' || req.method === 'POST') && match[4] !== undefined) {
      const start = Number(match[3])
      const end = Number(match[4])
      if (end < start || end >= blob.data.length) return void res.writeHead(416).end()
      req.resume()
      const range = blob.data.subarray(start, end + 1)
      if (this.options.chunked) {
        res.writeHead(200, {'content-type': 'application/octet-stream'})
        const third = Math.ceil(range.length / 3)
        res.write(range.subarray(0, third))
        res.write(range.subarray(third, 2 * third))
        return void res.end(range.subarray(2 * third))
      }
      res.writeHead(200, {'content-length': range.length, 'content-type': 'application/octet-stream'})
      return void res.end(range)
    }
    res.writeHead(400).end()
  }

  private receive(blob: Blob, offset: number, req: IncomingMessage, res: ServerResponse): void {
    let position = offset
    let tooLong = false
    req.on('data', (chunk: Buffer) => {
      if (position + chunk.length > blob.data.length) tooLong = true
      else chunk.copy(blob.data, position)
      position += chunk.length
    })
    req.on('end', () => {
      // mega-api.md §5.1: a negative number as text for an error; -2 (EARGS) for data beyond the announced size.
      if (tooLong) return void res.end('-2')
      const length = position - offset
      if (length > 0 && !blob.received.has(offset)) {
        blob.received.set(offset, length)
        blob.receivedBytes += length
      }
      if (blob.receivedBytes === blob.data.length && !blob.token) {
        blob.token = randomBytes(27).toString('base64url')
        return void res.end(blob.token)
      }
      res.end()
    })
  }
}
