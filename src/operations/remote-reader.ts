import {aesCtr} from '../crypto/ctr.js'
import {unpackFileKey} from '../crypto/node-key.js'
import {CommandError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {httpExchange} from '../transfer/http-pool.js'
import type {MegaNode} from '../tree/node.js'
import {requestDownload} from './download.js'

/** Bytes fetched per request: large enough for throughput, small enough that a seek wastes little. */
const PIECE = 1024 * 1024
/** Requests in flight at once while reading ahead. */
const AHEAD = 4
/** How long a download URL from `g` is reused (the SDK keeps them for a while; MEGA's last hours). */
const URL_TTL_MS = 10 * 60_000

/**
 * Reads any byte range of a remote file without downloading the rest: the range is widened to the 16-byte AES block
 * it starts in, fetched from the storage server with HTTP ranges (`<url>/<start>-<end>`, mega-api.md §5.3), and
 * decrypted with AES-CTR from that block's counter (mega-api.md §5.2: the counter is the nonce and the block index,
 * so any aligned range decrypts on its own). A partial read cannot check the file's MAC, which covers the whole file:
 * the whole-file download (downloadData) does. Pieces of 1 MiB go a few at a time, in order, so a reader that stops
 * early (a client that closes) costs at most a few pieces.
 */
export class RemoteReader {
  private url?: {value: string; until: number}

  constructor(private readonly ctx: MegaContext, readonly node: MegaNode) {
    if (!node.key) throw new CommandError(`Cannot read ${node.name}: its key is unknown`, 14)
  }

  /** Bytes `start` to `end` inclusive, in order. */
  async *read(start: number, end: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
    if (end < start) return
    const {aesKey, nonce} = unpackFileKey(this.node.key!)
    const aligned = start - (start % 16)
    const pieces: Array<{from: number; to: number}> = []
    for (let from = aligned; from <= end; from += PIECE) pieces.push({from, to: Math.min(end, from + PIECE - 1)})
    const inFlight: Array<Promise<Buffer>> = []
    let next = 0
    const fill = () => {
      while (next < pieces.length && inFlight.length < AHEAD) {
        const piece = pieces[next++]
        inFlight.push(this.fetch(piece.from, piece.to, signal).then((data) => aesCtr(aesKey, nonce, piece.from, data)))
        // A piece that fails while others are awaited is reported when its turn comes, not as an unhandled rejection.
        inFlight[inFlight.length - 1].catch(() => {})
      }
    }
    fill()
    for (let i = 0; i < pieces.length; i++) {
      const data = await inFlight.shift()!
      fill()
      yield i === 0 ? data.subarray(start - aligned) : data
    }
  }

  /** Encrypted bytes `from` to `to` inclusive. */
  private async fetch(from: number, to: number, signal?: AbortSignal): Promise<Buffer> {
    const url = new URL(`${await this.downloadUrl()}/${from}-${to}`)
    const chunks: Buffer[] = []
    let status = 0
    await httpExchange(url, {method: 'GET', signal}, {
      head: (head) => void (status = head.status),
      data: (chunk) => void chunks.push(Buffer.from(chunk)),
    })
    const data = Buffer.concat(chunks)
    if (status !== 200 && status !== 206) throw new CommandError(`Reading ${this.node.name} failed: the storage server answered ${status}`, 59)
    if (data.length !== to - from + 1) throw new CommandError(`Reading ${this.node.name} failed: ${data.length} bytes came for ${to - from + 1}`, 59)
    return data
  }

  private async downloadUrl(): Promise<string> {
    if (this.url && this.url.until > Date.now()) return this.url.value
    const {url} = await requestDownload(this.ctx.api, {n: this.node.handle})
    this.url = {value: url, until: Date.now() + URL_TTL_MS}
    return url
  }
}
