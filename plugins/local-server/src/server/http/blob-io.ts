import {close, open, read, write} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {promisify} from 'node:util'
import type {Pacer} from './pacer.js'

/**
 * The two hot paths of the server, moving ciphertext between sockets and blob files through a few reused
 * buffers. Streams (createReadStream/createWriteStream) allocate a fresh buffer per chunk: at 256 MiB per
 * transfer that kept the garbage collector busy for ~30% of the server's CPU (measured with --cpu-prof), and
 * client and server share the same cores on loopback.
 */
const BUFFER_SIZE = 1 << 20
const POOL_LIMIT = 16

const readAsync = promisify(read)
const writeAsync = promisify(write)
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
 * Sends bytes [start, end] of a file as the response body, reading the next buffer while the previous one is
 * being written (two buffers in flight). With a pacer, pieces of at most `pacer.piece` bytes each wait their turn.
 */
export async function sendFileRange(path: string, start: number, end: number, res: ServerResponse, pace: TransferPace = {}): Promise<void> {
  const {pacer, onSend} = pace
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
 * Writes a request body into an open file at `offset`, gathering the socket's small chunks into large
 * positioned writes, at the pacer's rate when there is one. Returns the number of bytes written.
 */
export async function receiveIntoFile(req: IncomingMessage, fd: number, offset: number, pacer?: Pacer, cutAfter?: number): Promise<number> {
  const buffer = take()
  let filled = 0
  let written = 0
  let received = 0
  const flush = async () => {
    let done = 0
    while (done < filled) done += (await writeAsync(fd, buffer, done, filled - done, offset + written + done)).bytesWritten
    written += filled
    filled = 0
  }
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      // The next chunk is not read while this one waits, so the socket stops being drained: TCP slows the sender.
      if (pacer) await pacer.admit(chunk.length)
      received += chunk.length
      // The ulcut fault (faults.ts): the connection goes mid-chunk, and nothing of the chunk counts.
      if (cutAfter !== undefined && received >= cutAfter) {
        req.socket.destroy()
        throw new Error('connection cut by the ulcut fault')
      }
      let used = 0
      while (used < chunk.length) {
        const n = Math.min(chunk.length - used, BUFFER_SIZE - filled)
        chunk.copy(buffer, filled, used, used + n)
        filled += n
        used += n
        if (filled === BUFFER_SIZE) await flush()
      }
    }
    if (filled > 0) await flush()
    return written
  } finally {
    give(buffer)
  }
}
