import {Worker} from 'node:worker_threads'

import {CRYPTO_SLICE} from '../crypto/crypto-slice.js'
import {chunkMacIv} from '../crypto/file-mac.js'

/**
 * Chunk MACs computed on a worker thread. CBC-MAC is serial within a chunk and costs ~0.3 s of CPU per 256 MiB
 * even through OpenSSL (AES-NI CBC encryption is latency-bound: ~0.8 GB/s per core here), which made the main
 * thread the bottleneck of loopback transfers (bench/transfer-data.ts). The piece's ArrayBuffer is transferred to
 * the worker and back (zero-copy moves). It is not shared: V8 copies into a SharedArrayBuffer from JS with
 * per-element atomics, which made the decrypt-and-copy on the main thread several times slower (profiled).
 *
 * The worker is an inline script so that it runs the same from compiled dist/ and from TypeScript sources under
 * tsx (a worker file would need a loader). It only does the CBC-MAC primitive; the grid logic stays in
 * file-mac.ts. Transfer tests check its results against the in-thread implementation.
 */
const WORKER_SOURCE = `
'use strict'
const {parentPort} = require('node:worker_threads')
const {createCipheriv} = require('node:crypto')
const SLICE = ${CRYPTO_SLICE}
parentPort.on('message', ({id, buffer, lengths, key, iv}) => {
  let macs
  try {
    macs = new Uint8Array(lengths.length * 16)
    let pos = 0
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]
      const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false)
      const whole = length - (length % 16)
      let last = null
      for (let at = 0; at < whole; at += SLICE) {
        last = cipher.update(new Uint8Array(buffer, pos + at, Math.min(SLICE, whole - at)))
      }
      if (whole < length) {
        const tail = new Uint8Array(16)
        tail.set(new Uint8Array(buffer, pos + whole, length - whole))
        last = cipher.update(tail)
      }
      macs.set(last ? last.subarray(last.length - 16) : iv, i * 16)
      pos += length
    }
  } catch (error) {
    return parentPort.postMessage({id, buffer, error: String((error && error.message) || error)}, [buffer])
  }
  parentPort.postMessage({id, buffer, macs}, [buffer, macs.buffer])
})
`

interface Pending {
  resolve: (result: {macs: Buffer; buffer: Buffer}) => void
  reject: (error: Error) => void
}

interface WorkerReply {
  id: number
  buffer: ArrayBuffer
  macs?: Uint8Array
  error?: string
}

export class MacWorker {
  private worker?: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 0

  /**
   * MACs of consecutive chunks of `lengths[i]` bytes at the start of `buffer`, which must own its whole
   * ArrayBuffer (Buffer.allocUnsafeSlow): it is moved to the worker, so `buffer` is detached (empty) until the
   * result hands it back as a new Buffer over the same memory. Resolves with the 16-byte MACs concatenated.
   */
  chunkMacs(aesKey: Uint8Array, nonce: Uint8Array, buffer: Buffer, lengths: readonly number[]): Promise<{macs: Buffer; buffer: Buffer}> {
    const memory = buffer.buffer
    if (!(memory instanceof ArrayBuffer) || buffer.byteOffset !== 0 || buffer.byteLength !== memory.byteLength) {
      throw new TypeError('MacWorker needs a Buffer that owns its whole ArrayBuffer')
    }
    const worker = this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject})
      // Keep the process alive only while the worker has work (it is unref'd when idle).
      if (this.pending.size === 1) worker.ref()
      // Fresh key copies: a small Buffer may be a view of an 8 KiB pool slab, which structured cloning copies whole.
      worker.postMessage({id, buffer: memory, lengths, key: new Uint8Array(aesKey), iv: new Uint8Array(chunkMacIv(nonce))}, [memory])
    })
  }

  /** Stops the worker (tests, daemon shutdown); a later call starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    await worker?.terminate()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER_SOURCE, {eval: true})
    worker.unref()
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id)
      if (!pending) return
      this.pending.delete(reply.id)
      if (this.pending.size === 0) worker.unref()
      if (reply.macs) pending.resolve({macs: Buffer.from(reply.macs.buffer, reply.macs.byteOffset, reply.macs.byteLength), buffer: Buffer.from(reply.buffer)})
      else pending.reject(new Error(`MAC worker: ${reply.error}`))
    })
    const failAll = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined
      for (const pending of this.pending.values()) pending.reject(error)
      this.pending.clear()
    }
    worker.on('error', failAll)
    worker.on('exit', (code) => failAll(new Error(`MAC worker exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}

/** The process-wide MAC worker, started on first use. */
export const macWorker = new MacWorker()
