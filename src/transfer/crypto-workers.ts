import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import {CRYPTO_SLICE} from '../crypto/crypto-slice.js'

/**
 * Piece encryption (AES-CTR) and chunk MACs (CBC-MAC) on worker threads. Two measured reasons (bench/transfer-data.ts,
 * bench/transfer.js):
 * - CBC-MAC is serial within a chunk and costs ~0.3 s of CPU per 256 MiB even through OpenSSL (AES-NI CBC
 *   encryption is latency-bound, ~0.8 GB/s per core here); on the main thread it capped loopback transfers.
 * - Every OpenSSL update() returns a new buffer that V8 counts as external memory; half a GiB of them per
 *   256 MiB transferred forced repeated full GCs on the main thread (profiled), which a worker's small heap
 *   absorbs cheaply.
 * Pieces live in SharedArrayBuffers that the workers read and write in place. They are not moved (transferred):
 * every ArrayBuffer arriving in an isolate counts as new external memory there, and moving 8 MiB pieces back and
 * forth triggered a full GC on the main thread every ~64 MiB (--trace-gc).
 *
 * The worker is an inline script so that it runs the same from compiled dist/ and from TypeScript sources under
 * tsx (a worker file would need a loader). It holds only the two primitives; the MAC grid and counter blocks are
 * computed by the caller (file-mac.ts, ctr.ts), and transfer tests compare its results with the in-thread path.
 */
const WORKER_SOURCE = `
'use strict'
const {parentPort} = require('node:worker_threads')
const {createCipheriv} = require('node:crypto')
const SLICE = ${CRYPTO_SLICE}

// Buffer#fill with a Buffer value is a plain memcpy into shared memory; TypedArray#set there copies with atomics,
// byte by byte when the two sides are not equally aligned.
function copyInto(data, bytes, at) {
  if (bytes.length > 0) data.fill(bytes, at, at + bytes.length)
}

// One pass per slice: CTR and CBC-MAC touch each slice while it is in cache. Slices never straddle a MAC chunk
// (chunks start at multiples of 128 KiB, SLICE divides that), and only a file's last chunk can end mid-block.
function processPiece(op, key, counter, macIv, data, lengths) {
  const ctr = createCipheriv('aes-128-ctr', key, counter)
  const macs = new Uint8Array(lengths.length * 16)
  let pos = 0
  for (let i = 0; i < lengths.length; i++) {
    const end = pos + lengths[i]
    const cbc = createCipheriv('aes-128-cbc', key, macIv).setAutoPadding(false)
    let last = null
    for (let at = pos; at < end; at += SLICE) {
      const slice = data.subarray(at, Math.min(at + SLICE, end))
      let plain = slice
      if (op === 'open') {
        plain = ctr.update(slice)
        copyInto(data, plain, at)
      }
      const whole = plain.length - (plain.length % 16)
      if (whole > 0) last = cbc.update(plain.subarray(0, whole))
      if (whole < plain.length) {
        const tail = new Uint8Array(16)
        tail.set(plain.subarray(whole))
        last = cbc.update(tail)
      }
      if (op === 'seal') copyInto(data, ctr.update(slice), at)
    }
    macs.set(last ? last.subarray(last.length - 16) : macIv, i * 16)
    pos = end
  }
  return macs
}

parentPort.on('message', ({id, buffer, length, op, key, counter, macIv, lengths}) => {
  let macs
  try {
    macs = processPiece(op, key, counter, macIv, Buffer.from(buffer, 0, length), lengths)
  } catch (error) {
    return parentPort.postMessage({id, error: String((error && error.message) || error)})
  }
  parentPort.postMessage({id, macs}, [macs.buffer])
})
`

/** What a worker does with a piece: `seal` = MAC the plaintext, then encrypt it in place (upload); `open` = decrypt
 * in place, then MAC the plaintext (download). */
export type PieceOp = 'seal' | 'open'

export interface PieceTask {
  op: PieceOp
  /** A Buffer over a whole SharedArrayBuffer (BufferPool with `shared`), worked on in place. */
  buffer: Buffer
  /** Bytes of the piece at the start of `buffer`. */
  length: number
  aesKey: Uint8Array
  /** CTR counter block for the piece's first byte (ctrCounterBlock). */
  counter: Uint8Array
  /** Chunk MAC IV, nonce ‖ nonce (chunkMacIv). */
  macIv: Uint8Array
  /** Sizes of the MAC chunks the piece covers, in order (chunkLengthsOfPiece). */
  lengths: readonly number[]
}

interface Pending {
  resolve: (macs: Buffer) => void
  reject: (error: Error) => void
}

interface WorkerReply {
  id: number
  macs?: Uint8Array
  error?: string
}

class CryptoWorker {
  readonly pending = new Map<number, Pending>()
  private readonly worker: Worker
  private nextId = 0

  constructor(private readonly onDead: (worker: CryptoWorker) => void) {
    this.worker = new Worker(WORKER_SOURCE, {eval: true})
    this.worker.unref()
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply))
    this.worker.on('error', (error) => this.die(error))
    this.worker.on('exit', (code) => this.die(new Error(`crypto worker exited with code ${code}`)))
  }

  /** Resolves with the chunk MACs (16 bytes each, concatenated) once the piece has been processed in place. */
  run(task: PieceTask): Promise<Buffer> {
    const memory = task.buffer.buffer
    if (!(memory instanceof SharedArrayBuffer) || task.buffer.byteOffset !== 0) {
      throw new TypeError('crypto workers need a Buffer over a whole SharedArrayBuffer')
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject})
      // Keep the process alive only while the worker has work (it is unref'd when idle).
      if (this.pending.size === 1) this.worker.ref()
      this.worker.postMessage({
        id,
        buffer: memory,
        length: task.length,
        op: task.op,
        // Fresh copies: a small Buffer may be a view of an 8 KiB pool slab, which structured cloning copies whole.
        key: new Uint8Array(task.aesKey),
        counter: new Uint8Array(task.counter),
        macIv: new Uint8Array(task.macIv),
        lengths: [...task.lengths],
      })
    })
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }

  private onReply(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.worker.unref()
    if (reply.macs) {
      pending.resolve(Buffer.from(reply.macs.buffer, reply.macs.byteOffset, reply.macs.byteLength))
    } else {
      pending.reject(new Error(`crypto worker: ${reply.error}`))
    }
  }

  private die(error: Error): void {
    this.onDead(this)
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}

/**
 * A small pool of crypto workers, started on first use; each task goes to the worker with the fewest tasks queued.
 */
export class CryptoWorkerPool {
  private workers: CryptoWorker[] = []

  constructor(readonly size: number) {}

  run(task: PieceTask): Promise<Buffer> {
    if (this.workers.length < this.size) {
      const worker = new CryptoWorker((dead) => {
        this.workers = this.workers.filter((w) => w !== dead)
      })
      this.workers.push(worker)
      return worker.run(task)
    }
    let best = this.workers[0]
    for (const worker of this.workers) if (worker.pending.size < best.pending.size) best = worker
    return best.run(task)
  }

  /** Stops the workers (tests, daemon shutdown); later tasks start new ones. */
  async close(): Promise<void> {
    const workers = this.workers
    this.workers = []
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

/**
 * The process-wide pool: one worker per core but one, up to four. On this project's 2-core machine two workers made
 * the client alone faster against an in-memory server (bench/transfer-data.ts download medians 510-550 MB/s
 * against 390-440 with one), but not `mega get` or `mega put` against the local server, which needs the other core:
 * 256 MiB took 1.44 s with one worker and 1.52 s with two (medians of three), and one worker's process peaked
 * 40 MiB lower (174 MiB against 211; bench/transfer-process.js).
 */
export const cryptoWorkers = new CryptoWorkerPool(Math.min(4, Math.max(1, availableParallelism() - 1)))
