import {closeSync, constants, ftruncateSync, openSync, truncateSync, writeFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {ApiCode} from '../protocol/api-error.js'
import {chunkAcknowledgement, type Dialect} from '../protocol/dialect.js'
import {newCompletionToken} from '../protocol/handles.js'
import type {BlobStore} from '../stores/blob-store.js'
import type {Db} from '../stores/database.js'
import type {NodeStore} from '../stores/node-store.js'
import {UploadStore} from '../stores/upload-store.js'
import {receiveIntoFile} from './blob-io.js'
import {CutCounter, type FaultPlan, NO_FAULTS} from './faults.js'
import {sendText} from './http-util.js'
import {pacerFor} from './pacer.js'

/** An upload being received: which byte ranges arrived, and the blob file shared by its parallel chunks. */
interface UploadState {
  id: string
  size: number
  blob: string
  path: string
  fd: number | null
  /** Requests currently writing through `fd`; it is closed only when none is. */
  writers: number
  /** Received [start, end) ranges, sorted and merged. */
  ranges: Array<[number, number]>
  token: string | null
  idleTimer: NodeJS.Timeout | null
  /** Who asked for the URL: decides the reply to a chunk that does not complete the file. */
  dialect: Dialect
  /** When `u` made the URL (ms): the ulexpire fault measures its age from there. */
  createdMs: number
}

/** An open blob file is closed after this long without chunks (a client may abandon an upload). */
const IDLE_CLOSE_MS = 30_000

/**
 * Upload URLs (mega-api.md §5.1). Chunks are POSTed to `<url>/<offset>` (a query string such as megatools'
 * `?c=` is ignored), in parallel and in any order, each possibly spanning several MAC chunks. Every chunk is
 * written into the blob file as it arrives, in large positioned writes (blob-io.ts); nothing is buffered whole. Once
 * a chunk is in the file its range is recorded (one small UPDATE per chunk), so a chunk sent again after a restart,
 * even after a crash (kill -9), is accepted and the upload still completes with the chunks the client already had
 * acknowledged. A chunk that does not complete the file gets an empty body,
 * or `0` for an SDK-dialect upload (dialect.ts); the request that completes the file gets the 36-byte completion
 * token (and so does any later retry of a chunk). Errors are a negative number as text, with HTTP 200, from the
 * upload servers' own set (-7 ERANGE, -8 EEXPIRED): the SDK restarts the upload with a new URL on those, while an
 * HTTP error on an http: URL makes it try another port (TransferSlot::processRequestFailure / toggleport). -8 is
 * the answer for a URL the server no longer knows (dropped after a week, upload-store.ts) and, with the ulexpire
 * fault, for one older than its lifetime (faults.ts).
 */
export class UploadManager {
  private readonly active = new Map<string, UploadState>()
  private readonly store: UploadStore

  private readonly cuts: CutCounter

  constructor(db: Db, private readonly blobs: BlobStore, private readonly faults: FaultPlan = NO_FAULTS) {
    this.store = new UploadStore(db)
    this.cuts = new CutCounter(faults.uploadCutEvery)
  }

  create(user: string, size: number, dialect: Dialect): string {
    return this.store.create(user, size, dialect)
  }

  consume(user: string, token: string): {blob: string; size: number} {
    return this.store.consume(user, token)
  }

  async handleChunk(req: IncomingMessage, res: ServerResponse, id: string, offset: number): Promise<void> {
    const state = this.load(id)
    if (!state) return drainAndReply(req, res, String(ApiCode.EEXPIRED))
    if (state.token) return drainAndReply(req, res, state.token)
    if (this.faults.uploadExpireMs > 0 && Date.now() - state.createdMs >= this.faults.uploadExpireMs) {
      return drainAndReply(req, res, String(ApiCode.EEXPIRED))
    }
    const declared = req.headers['content-length'] === undefined ? NaN : Number(req.headers['content-length'])
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > state.size || offset + (declared || 0) > state.size) {
      return drainAndReply(req, res, String(ApiCode.ERANGE))
    }
    let written = 0
    const cutAfter = declared > 1 && this.cuts.next() ? Math.ceil(declared / 2) : undefined
    if (declared !== 0) {
      this.openFile(state)
      state.writers++
      try {
        written = await receiveIntoFile(req, state.fd!, offset, pacerFor(this.faults.bytesPerSecond), cutAfter)
      } catch {
        // The client went away mid-chunk: nothing of it counts, it will send the chunk again.
        this.release(state)
        if (!res.headersSent) res.destroy()
        return
      }
      this.release(state)
    } else {
      await drain(req)
    }
    if (offset + written > state.size) return sendText(res, String(ApiCode.ERANGE))
    addRange(state.ranges, offset, offset + written)
    if (!state.token && isComplete(state)) this.complete(state)
    else if (!state.token && written > 0) this.saveRanges(state)
    sendText(res, state.token ?? chunkAcknowledgement(state.dialect))
  }

  /**
   * Closes the blob files of unfinished uploads, with their received ranges saved once more. Writes still in
   * flight (their requests were just cut) finish first: closing a descriptor under a pending write could
   * let the write land in whatever file reuses the number.
   */
  async close(): Promise<void> {
    const deadline = Date.now() + 5000
    while ([...this.active.values()].some((s) => s.writers > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    for (const state of this.active.values()) {
      if (state.idleTimer) clearTimeout(state.idleTimer)
      if (!state.token && state.ranges.length > 0) this.store.saveRanges(state.id, state.ranges)
      if (state.fd !== null) closeSync(state.fd)
      state.fd = null
    }
    this.active.clear()
  }

  /** Drops uploads nobody finished or claimed within a week, and their blob files when no node uses them. */
  cleanup(nodes: NodeStore): void {
    this.blobs.remove(this.store.dropStale(nodes))
  }

  private load(id: string): UploadState | undefined {
    const cached = this.active.get(id)
    if (cached) return cached
    const row = this.store.get(id)
    if (!row) return undefined
    const state: UploadState = {
      id, size: row.size, blob: row.blob, path: this.blobs.pathFor(row.blob, true), fd: null, writers: 0,
      ranges: row.ranges ? (JSON.parse(row.ranges) as Array<[number, number]>) : [], token: row.token, idleTimer: null,
      dialect: row.dialect, createdMs: row.created_ms ?? row.created * 1000,
    }
    // A finished upload only answers retries with its token: nothing to keep in memory.
    if (!state.token) this.active.set(id, state)
    return state
  }

  /**
   * Records the ranges received so far. Should the database be busy past its timeout (another process writing),
   * they stay in memory until the next chunk or close(): the chunk itself is in the file and acknowledged anyway.
   */
  private saveRanges(state: UploadState): void {
    try {
      this.store.saveRanges(state.id, state.ranges)
    } catch (error) {
      if ((error as {code?: string})?.code !== 'SQLITE_BUSY') throw error
    }
  }

  private openFile(state: UploadState): void {
    if (state.idleTimer) {
      clearTimeout(state.idleTimer)
      state.idleTimer = null
    }
    // No O_TRUNC: after a restart the file already holds the ranges received before.
    if (state.fd === null) state.fd = openSync(state.path, constants.O_RDWR | constants.O_CREAT, 0o600)
  }

  private release(state: UploadState): void {
    state.writers--
    if (state.writers > 0 || state.fd === null) return
    if (state.token) {
      closeSync(state.fd)
      state.fd = null
      this.active.delete(state.id)
      return
    }
    if (state.idleTimer) clearTimeout(state.idleTimer)
    state.idleTimer = setTimeout(() => {
      state.idleTimer = null
      if (state.writers === 0 && state.fd !== null) {
        closeSync(state.fd)
        state.fd = null
      }
    }, IDLE_CLOSE_MS)
    state.idleTimer.unref()
  }

  private complete(state: UploadState): void {
    if (state.idleTimer) clearTimeout(state.idleTimer)
    state.idleTimer = null
    // A rejected chunk that ran past the declared size may have written beyond it.
    if (state.fd !== null) ftruncateSync(state.fd, state.size)
    else if (state.size === 0) writeFileSync(state.path, '', {mode: 0o600})
    else truncateSync(state.path, state.size)
    const token = newCompletionToken()
    this.store.complete(state.id, state.blob, state.size, token)
    state.token = token
    state.ranges = []
    if (state.writers === 0) {
      if (state.fd !== null) closeSync(state.fd)
      state.fd = null
      this.active.delete(state.id)
    }
  }
}

function isComplete(state: UploadState): boolean {
  if (state.size === 0) return true
  return state.ranges.length === 1 && state.ranges[0][0] === 0 && state.ranges[0][1] >= state.size
}

/** Inserts [start, end) into sorted, merged ranges. */
export function addRange(ranges: Array<[number, number]>, start: number, end: number): void {
  if (end <= start) return
  let i = 0
  while (i < ranges.length && ranges[i][1] < start) i++
  let s = start
  let e = end
  let j = i
  while (j < ranges.length && ranges[j][0] <= e) {
    s = Math.min(s, ranges[j][0])
    e = Math.max(e, ranges[j][1])
    j++
  }
  ranges.splice(i, j - i, [s, e])
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve()
    req.on('end', resolve)
    req.on('error', () => resolve())
    req.on('close', () => resolve())
    req.resume()
  })
}

async function drainAndReply(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  await drain(req)
  sendText(res, body)
}
