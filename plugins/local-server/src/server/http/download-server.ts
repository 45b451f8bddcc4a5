import type {IncomingMessage, ServerResponse} from 'node:http'
import type {BlobStore} from '../stores/blob-store.js'
import {sendFileRange} from './blob-io.js'
import {type FaultPlan, NO_FAULTS} from './faults.js'
import {CORS_HEADERS, sendText} from './http-util.js'

/**
 * Download URLs (mega-api.md §5.3): `<url>/<start>-<end>` with `end` inclusive, by GET (megajs, go-mega) or
 * POST (megatools), answered with HTTP 200 and exactly those bytes of ciphertext. `<url>/<start>-` and a bare
 * `<url>` give the rest / the whole file. The URL token is the blob id; query strings are ignored.
 */
export class DownloadServer {
  constructor(private readonly blobs: BlobStore, private readonly faults: FaultPlan = NO_FAULTS) {}

  async handle(req: IncomingMessage, res: ServerResponse, blob: string, range: string | undefined): Promise<void> {
    req.resume()
    const size = this.blobs.size(blob)
    if (size === undefined) return sendText(res, 'not found', 404)
    const match = range === undefined || range === '' ? ['', '0', ''] : /^(\d+)-(\d*)$/.exec(range)
    if (!match) return sendText(res, 'bad range', 400)
    const start = Number(match[1])
    // An end past the file is clamped, like an HTTP range; a start past it is an error.
    const end = Math.min(match[2] === '' ? size - 1 : Number(match[2]), size - 1)
    if (size === 0 && start === 0) return sendText(res, Buffer.alloc(0), 200, 'application/octet-stream')
    if (start >= size || end < start) return sendText(res, 'range not satisfiable', 416)
    if (this.faults.downloadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.downloadDelayMs))
    if (res.destroyed) return
    res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': end - start + 1})
    if (req.method === 'HEAD') return void res.end()
    try {
      await sendFileRange(this.blobs.pathFor(blob), start, end, res)
    } catch {
      // The client closed the connection, or the blob vanished mid-read: nothing to answer any more.
      res.destroy()
    }
  }
}
