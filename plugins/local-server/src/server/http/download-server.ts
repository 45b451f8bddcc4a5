import type {IncomingMessage, ServerResponse} from 'node:http'
import type {TransferQuota, Reservation} from '../accounts/transfer-quota.js'
import type {BlobStore} from '../stores/blob-store.js'
import type {DownloadUrlStore} from '../stores/download-store.js'
import {sendFileRange} from './blob-io.js'
import {CutCounter, type FaultPlan, NO_FAULTS} from './faults.js'
import {CORS_HEADERS, sendText} from './http-util.js'
import {pacerFor} from './pacer.js'

/**
 * Download URLs (mega-api.md §5.3): `<url>/<start>-<end>` with `end` inclusive, by GET (megajs, go-mega) or
 * POST (megatools), answered with HTTP 200 and exactly those bytes of ciphertext. `<url>/<start>-` and a bare
 * `<url>` give the rest / the whole file. The URL token is the one `g` gave a session (download-store.ts), which
 * meters that account's transfer quota, or a blob id for a URL given without a session; query strings are ignored.
 *
 * A request that does not fit the account's transfer quota (accounts/transfer-quota.ts) gets HTTP 509 with
 * `X-MEGA-Time-Left: <seconds>` and no body, as MEGA's storage servers answer (megajs File.download
 * handleMegaErrors reads that header; the SDK's CurlHttpIO reads it into `timeleft` and TransferSlot takes 509 as
 * "Bandwidth overquota from storage server", src/posix/net.cpp, src/transferslot.cpp; megatools to_error).
 */
export class DownloadServer {
  private readonly cuts: CutCounter

  constructor(
    private readonly blobs: BlobStore,
    private readonly urls: DownloadUrlStore,
    private readonly quota: TransferQuota,
    private readonly faults: FaultPlan = NO_FAULTS,
  ) {
    this.cuts = new CutCounter(faults.downloadCutEvery)
  }

  async handle(req: IncomingMessage, res: ServerResponse, token: string, range: string | undefined): Promise<void> {
    req.resume()
    const {blob, user} = this.urls.resolve(token)
    const size = this.blobs.size(blob)
    if (size === undefined) return sendText(res, 'not found', 404)
    const match = range === undefined || range === '' ? ['', '0', ''] : /^(\d+)-(\d*)$/.exec(range)
    if (!match) return sendText(res, 'bad range', 400)
    const start = Number(match[1])
    // An end past the file is clamped, like an HTTP range; a start past it is an error.
    const end = Math.min(match[2] === '' ? size - 1 : Number(match[2]), size - 1)
    if (size === 0 && start === 0) return sendText(res, Buffer.alloc(0), 200, 'application/octet-stream')
    if (start >= size || end < start) return sendText(res, 'range not satisfiable', 416)
    const length = end - start + 1
    let reservation: Reservation | undefined
    if (user !== null && req.method !== 'HEAD') {
      const held = this.quota.reserve(user, length)
      if ('secondsLeft' in held) return sendOverQuota(res, held.secondsLeft)
      reservation = held
    }
    try {
      if (this.faults.downloadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.downloadDelayMs))
      if (res.destroyed) return
      res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': length})
      if (req.method === 'HEAD') return void res.end()
      // dlcut: half the body, then the connection goes, its Content-Length unmet.
      const cut = length > 1 && this.cuts.next()
      // The socket itself: once the response has ended, destroying the response no longer closes it.
      const socket = res.socket
      await sendFileRange(this.blobs.pathFor(blob), start, cut ? start + Math.floor(length / 2) - 1 : end, res, {
        pacer: pacerFor(this.faults.bytesPerSecond),
        onSend: (bytes) => reservation?.charge(bytes),
      })
      if (cut) socket?.destroy()
    } catch {
      // The client closed the connection, or the blob vanished mid-read: nothing to answer any more.
      res.destroy()
    } finally {
      // A cut download pays only for what was handed to its socket.
      reservation?.settle()
    }
  }
}

/** HTTP 509 with the wait in whole seconds, the answer to a download over the transfer quota. */
function sendOverQuota(res: ServerResponse, secondsLeft: number): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(509, {...CORS_HEADERS, 'Content-Type': 'text/plain', 'Content-Length': 0, 'X-MEGA-Time-Left': String(secondsLeft)})
  res.end()
}
