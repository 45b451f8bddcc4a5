import {close, closeSync, open, openSync, read, readSync, writev} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {finished} from 'node:stream'
import {promisify} from 'node:util'
import type {Pacer} from './pacer.js'

/**
 * The two hot paths of the server, moving ciphertext between sockets and blob files: downloads through a few
 * reused buffers, uploads straight from the chunks the HTTP parser already made. Streams (createReadStream/
 * createWriteStream) allocate a fresh buffer per chunk: at 256 MiB per transfer that kept the garbage collector
 * busy for ~30% of the server's CPU (measured with --cpu-prof), and client and server share the same cores on
 * loopback.
 */
const BUFFER_SIZE = 1 << 20
const POOL_LIMIT = 16

const readAsync = promisify(read)
const writevAsync = promisify(writev)
const openAsync = promisify(open)
const closeAsync = promisify(close)

const pool: Buffer[] = []

function take(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(BUFFER_SIZE)
}

function give(buffer: Buffer): void {
  if (pool.length < POOL_LIMIT) pool.push(buffer)
}

/** Resolves once `data` was handed to the socket (so its buffer may be reused), rejects if the socket fails. */
function writeResponse(res: ServerResponse, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    res.write(data, (error) => (error ? reject(error) : resolve()))
  })
}

/** What a data request may be limited to (faults.ts `slowbytes`), and who hears of its progress. */
export interface TransferPace {
  /** Paces the bytes moved (the slowbytes fault); none: as fast as the socket takes them. */
  pacer?: Pacer
  /**
   * Called with each piece just before it is handed to the socket (a download's bytes, for the transfer quota):
   * before, so that whoever reads the count once the client has every byte finds them all counted.
   */
  onSend?: (bytes: number) => void
}

/**
 * Ranges up to this size are read with synchronous calls: an asynchronous open, read and close wake a thread-pool
 * thread each, which on this project's VMs cost more than the calls (a client downloading 10,000 1 KiB files kept
 * the server busy ~1 ms per file, most of it futex wake-ups: strace -c, perf).
 */
const SMALL_RANGE = 262144

function sendSmallRange(path: string, start: number, end: number, res: ServerResponse, onSend: ((bytes: number) => void) | undefined): void {
  const data = Buffer.allocUnsafe(end - start + 1)
  const fd = openSync(path, 'r')
  try {
    for (let done = 0; done < data.length;) {
      const bytesRead = readSync(fd, data, done, data.length - done, start + done)
      if (bytesRead === 0) throw new Error('the blob ended before its recorded size')
      done += bytesRead
    }
  } finally {
    closeSync(fd)
  }
  onSend?.(data.length)
  res.end(data)
}

/**
 * Sends bytes [start, end] of a file as the response body, reading the next buffer while the previous one is
 * being written (two buffers in flight). With a pacer, pieces of at most `pacer.piece` bytes each wait their turn.
 */
export async function sendFileRange(path: string, start: number, end: number, res: ServerResponse, pace: TransferPace = {}): Promise<void> {
  const {pacer, onSend} = pace
  if (!pacer && end - start + 1 <= SMALL_RANGE) return sendSmallRange(path, start, end, res, onSend)
  const readSize = pacer ? pacer.piece : BUFFER_SIZE
  const fd = await openAsync(path, 'r')
  const buffers = [take(), take()]
  try {
    let position = start
    let pending: Promise<void> | undefined
    for (let turn = 0; position <= end; turn++) {
      const buffer = buffers[turn % 2]
      const {bytesRead} = await readAsync(fd, buffer, 0, Math.min(readSize, end - position + 1), position)
      if (bytesRead === 0) throw new Error('the blob ended before its recorded size')
      // The buffer read two turns ago is free once its write finished.
      await pending
      if (pacer) await pacer.admit(bytesRead)
      onSend?.(bytesRead)
      pending = writeResponse(res, buffer.subarray(0, bytesRead))
      // A write that fails (client gone) while the next read is in flight must not be an unhandled
      // rejection, which would end the server; the next `await pending` still throws it.
      pending.catch(() => undefined)
      position += bytesRead
    }
    await pending
    res.end()
  } finally {
    await closeAsync(fd)
    buffers.forEach(give)
  }
}

/**
 * Lets the C heap keep the memory that request bodies pass through, instead of handing it back to the kernel after
 * every garbage collection. Node's HTTP parser gives each piece of a body (64 KiB, one socket read) to JavaScript as
 * a fresh malloc'd copy, and the collector frees them tens of MiB at a time; glibc then trimmed the top of its heap
 * (anything past M_TRIM_THRESHOLD, 128 KiB at first) and the next pieces faulted those pages back in, 4 KiB each.
 * On a 256 MiB upload from curl that was about half of the main thread's CPU (0.4-0.6 s against 0.2-0.3 s without
 * it, measured on a 2-core VM where page faults are dear; perf: the parser's copy in on_body, under page faults)
 * and part of the collector threads' frees. glibc raises both thresholds when a block it had mmap'd is freed
 * (mallopt(3), dynamic mmap threshold): the mmap threshold to that block's size, the trim threshold to twice it.
 * So one untouched 31 MiB buffer (under the 32 MiB cap of that rule), dropped at once and freed by an early
 * collection, leaves up to 62 MiB free in the heap for the next pieces. Outside glibc it is an allocation that
 * was never touched and costs nothing.
 */
export function keepFreedMemoryForReuse(): void {
  Buffer.allocUnsafeSlow(31 << 20)
}

/**
 * Bytes of a request body gathered before a write starts: the socket hands over 64 KiB chunks, and a write per
 * chunk (a trip through libuv's thread pool each) cost more than the copy it saves.
 */
const WRITE_BATCH = 1 << 20
/**
 * Bytes a request may hold in memory while its previous write is still in flight; past this the socket stops
 * being read (TCP slows the sender) until the write finishes, so a client faster than the disk costs at most this.
 */
const MAX_QUEUED = 8 << 20

/**
 * Writes a request body into an open file at `offset`, at the pacer's rate when there is one. Returns the number
 * of bytes written.
 *
 * The body is read in flowing mode and its chunks (the HTTP parser hands over a fresh copy of each, so they may be
 * kept) are queued as they are and written with one positioned writev per batch, while the socket keeps being
 * read. Before, each chunk was copied into one 1 MiB buffer whose write was awaited before the next chunk was
 * read, through the async iterator: the main thread sat idle during every write with the socket unread, then
 * parsed while the disk thread idled, and the iterator paused and resumed the socket at every 64 KiB chunk
 * (past the request's 16 KiB highWaterMark). A 256 MiB upload from curl took about 1.1 s that way.
 *
 * Settles only once no write of it is in flight, also when it fails: the caller may close `fd` right after, and
 * a write still pending on a closed descriptor could land in whatever file reuses the number.
 */
export function receiveIntoFile(req: IncomingMessage, fd: number, offset: number, pacer?: Pacer, cutAfter?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let queue: Buffer[] = []
    let queued = 0
    let written = 0
    let received = 0
    let writing = false
    /** Chunks waiting for the pacer (the slowbytes fault): the request is paused meanwhile. */
    let admitting = 0
    let ended = false
    let failure: Error | undefined
    let settled = false
    let stopWatching = () => {}

    const detach = () => {
      req.off('data', onData)
      stopWatching()
    }

    const settle = () => {
      if (settled || writing) return
      if (failure) {
        settled = true
        detach()
        return reject(failure)
      }
      if (ended && admitting === 0 && queued === 0) {
        settled = true
        detach()
        resolve(written)
      }
    }
    const fail = (error: Error) => {
      failure ??= error
      queue = []
      queued = 0
      settle()
    }
    const writeQueued = () => {
      if (writing || failure || queued === 0) return
      if (queued < WRITE_BATCH && !(ended && admitting === 0)) return
      const batch = queue
      const bytes = queued
      queue = []
      queued = 0
      writing = true
      writeAll(fd, batch, bytes, offset + written).then(
        () => {
          writing = false
          written += bytes
          if (req.isPaused() && admitting === 0 && !failure) req.resume()
          writeQueued()
          settle()
        },
        (error: Error) => {
          writing = false
          // The body stops here: what was received is lost with it, as when the client goes away.
          req.destroy()
          fail(error)
        },
      )
    }
    const accept = (chunk: Buffer) => {
      received += chunk.length
      // The ulcut fault (faults.ts): the connection goes mid-chunk, and nothing of the chunk counts.
      if (cutAfter !== undefined && received >= cutAfter) {
        req.socket.destroy()
        return fail(new Error('connection cut by the ulcut fault'))
      }
      queue.push(chunk)
      queued += chunk.length
      writeQueued()
      if (writing && queued >= MAX_QUEUED) req.pause()
    }
    const onData = (chunk: Buffer) => {
      if (failure) return
      if (!pacer) return accept(chunk)
      // The next chunk is not read while this one waits, so the socket stops being drained: TCP slows the sender.
      req.pause()
      admitting++
      pacer.admit(chunk.length).then(() => {
        admitting--
        if (failure) return settle()
        accept(chunk)
        if (!failure && !(writing && queued >= MAX_QUEUED)) req.resume()
        writeQueued()
        settle()
      })
    }
    req.on('data', onData)
    // The end of the body, or the request failing or closing before it (the client went away mid-body); also
    // for a request that ended that way before this was called.
    stopWatching = finished(req, (error) => {
      if (error) return fail(error)
      ended = true
      writeQueued()
      settle()
    })
  })
}

/** Writes `chunks` (`bytes` in all) at `position`, again from where a short write stopped. */
async function writeAll(fd: number, chunks: Buffer[], bytes: number, position: number): Promise<void> {
  let done = 0
  while (done < bytes) {
    let {bytesWritten} = await writevAsync(fd, chunks, position + done)
    done += bytesWritten
    if (done >= bytes) return
    // A short write: drop what went, and the written part of the chunk it stopped in.
    while (bytesWritten >= chunks[0].length) bytesWritten -= chunks.shift()!.length
    chunks[0] = chunks[0].subarray(bytesWritten)
  }
}
