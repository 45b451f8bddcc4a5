import {TransferNetworkError} from './transfer-errors.js'

/**
 * An incremental HTTP/1.1 response parser for the transfer client (RFC 9112): status line, headers, then a body
 * framed by Content-Length, chunked transfer coding, or the end of the connection. Body bytes are handed to the
 * sink as views of the input (valid only during the call), so the caller decides where they land without an
 * intermediate copy.
 */
export interface ResponseHead {
  status: number
  /** The reason phrase of the status line ("Not Found"), possibly empty. */
  reason: string
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Map<string, string>
}

export interface ResponseSink {
  /** Called once with the final (non-1xx) status and headers; may throw to abandon the response. */
  head(head: ResponseHead): void
  /** Body bytes in order. `chunk` is only valid during the call. */
  data(chunk: Buffer): void
}

const MAX_HEAD = 65536
const CRLF = Buffer.from('\r\n')
const HEAD_END = Buffer.from('\r\n\r\n')

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done'

export class ResponseParser {
  private state: State = 'head'
  /** Bytes of an unfinished head, chunk-size line or trailer section carried over between feeds. */
  private pending: Buffer = Buffer.alloc(0)
  private remaining = 0
  private persistent = true

  constructor(private readonly sink: ResponseSink, private readonly bodyless = false) {}

  /** True once the whole response has been read. */
  get done(): boolean {
    return this.state === 'done'
  }

  /** True while no byte of the response has arrived. */
  get untouched(): boolean {
    return this.state === 'head' && this.pending.length === 0
  }

  /** True when the connection may carry another request after this response. */
  get keepAlive(): boolean {
    return this.persistent && this.state === 'done'
  }

  /** Consumes bytes from the connection. */
  feed(input: Buffer): void {
    let pos = 0
    while (pos < input.length) {
      switch (this.state) {
        case 'head': {
          pos = this.takeLine(input, pos, HEAD_END, MAX_HEAD, (head) => this.onHead(head))
          break
        }
        case 'length': {
          const take = Math.min(this.remaining, input.length - pos)
          this.sink.data(input.subarray(pos, pos + take))
          pos += take
          this.remaining -= take
          if (this.remaining === 0) this.state = 'done'
          break
        }
        case 'chunk-size': {
          pos = this.takeLine(input, pos, CRLF, 1024, (line) => {
            const size = Number.parseInt(line.toString('latin1').split(';')[0].trim(), 16)
            if (!Number.isSafeInteger(size) || size < 0) throw new TransferNetworkError('bad chunk size in HTTP reply')
            this.remaining = size
            this.state = size === 0 ? 'trailers' : 'chunk-data'
          })
          break
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, input.length - pos)
          this.sink.data(input.subarray(pos, pos + take))
          pos += take
          this.remaining -= take
          if (this.remaining === 0) this.state = 'chunk-end'
          break
        }
        case 'chunk-end': {
          pos = this.takeLine(input, pos, CRLF, 2, (line) => {
            if (line.length !== 0) throw new TransferNetworkError('bad chunk end in HTTP reply')
            this.state = 'chunk-size'
          })
          break
        }
        case 'trailers': {
          pos = this.takeLine(input, pos, CRLF, MAX_HEAD, (line) => {
            if (line.length === 0) this.state = 'done'
          })
          break
        }
        case 'until-close': {
          this.sink.data(input.subarray(pos))
          pos = input.length
          break
        }
        case 'done':
          throw new TransferNetworkError('unexpected bytes after the HTTP reply')
      }
    }
  }

  /** The connection ended: completes a body framed by the connection's end, or fails an unfinished response. */
  end(): void {
    if (this.state === 'until-close') {
      this.state = 'done'
      this.persistent = false
      return
    }
    if (this.state !== 'done') throw new TransferNetworkError('connection closed before the HTTP reply was complete')
  }

  /**
   * Collects bytes up to `terminator` (possibly across feeds), calls `onLine` with them (without the terminator)
   * and returns the position after it, or input.length when the terminator has not arrived yet.
   */
  private takeLine(input: Buffer, pos: number, terminator: Buffer, max: number, onLine: (line: Buffer) => void): number {
    const joined = this.pending.length > 0 ? Buffer.concat([this.pending, input.subarray(pos)]) : input.subarray(pos)
    const at = joined.indexOf(terminator)
    if (at < 0) {
      if (joined.length > max + terminator.length) throw new TransferNetworkError('HTTP reply head too large')
      this.pending = Buffer.from(joined)
      return input.length
    }
    const consumedFromInput = at + terminator.length - this.pending.length
    this.pending = Buffer.alloc(0)
    onLine(joined.subarray(0, at))
    return pos + consumedFromInput
  }

  private onHead(raw: Buffer): void {
    const lines = raw.toString('latin1').split('\r\n')
    const status = /^HTTP\/1\.([01]) (\d{3})(?: (.*)|$)/.exec(lines[0])
    if (!status) throw new TransferNetworkError('malformed HTTP status line')
    const code = Number(status[2])
    const headers = new Map<string, string>()
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0) throw new TransferNetworkError('malformed HTTP header line')
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
    }
    // 1xx are interim; the real head follows (RFC 9110 §15.2).
    if (code >= 100 && code < 200) return

    const connection = headers.get('connection')?.toLowerCase() ?? ''
    this.persistent = status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive')
    this.sink.head({status: code, reason: status[3] ?? '', headers})

    const chunked = headers.get('transfer-encoding')?.toLowerCase().includes('chunked') ?? false
    const length = headers.get('content-length')
    if (this.bodyless || code === 204 || code === 304) {
      this.state = 'done'
    } else if (chunked) {
      this.state = 'chunk-size'
    } else if (length !== undefined) {
      const n = Number(length)
      if (!Number.isSafeInteger(n) || n < 0 || !/^\d+$/.test(length)) throw new TransferNetworkError('bad Content-Length in HTTP reply')
      this.remaining = n
      this.state = n === 0 ? 'done' : 'length'
    } else {
      this.state = 'until-close'
    }
  }
}
