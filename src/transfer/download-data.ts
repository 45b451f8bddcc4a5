import {closeSync, futimesSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {open, rename, rm, stat, type FileHandle} from 'node:fs/promises'
import {basename} from 'node:path'

import {chunksOfPiece, FileMacBuilder, macChunkSize, macChunkStart} from '../crypto/file-mac.js'
import {unpackFileKey} from '../crypto/node-key.js'
import {IntegrityError} from '../errors.js'
import {BufferPool} from './buffer-pool.js'
import {largestPiece, planPieces, type Piece} from './chunk-plan.js'
import {partialPathFor} from './partial-files.js'
import {httpExchange} from './http-pool.js'
import {defaultCryptoPlace, pieceCrypto} from './piece-crypto.js'
import {runPieces} from './piece-runner.js'
import {ProgressCounter, type ProgressListener} from './progress.js'
import {retryPolicy, withRetries} from './retry.js'
import {HttpStatusError, quotaError, TransferNetworkError} from './transfer-errors.js'
import {limitedPieceSize, rateLimiter} from './rate-limit.js'
import {connectionsFor, type TransferTuning} from './tuning.js'

export interface DownloadDataOptions extends TransferTuning {
  /** Download URL from `g` (mega-api.md §5.3); ranges are requested as `<url>/<start>-<end>`. */
  url: string
  /** Size of the file in bytes (`s` of the `g` reply). */
  size: number
  /** The node's 32-byte file key (AES key, nonce and condensed MAC packed as in mega-api.md §2.6). */
  fileKey: Uint8Array
  /** Local path of the finished file. Nothing appears there unless the MAC matches. */
  destination: string
  /** Modification time the finished file gets (seconds since the epoch): the node's `mtime`, as the SDK sets it. */
  mtime?: number
  onProgress?: ProgressListener
  signal?: AbortSignal
  /**
   * A resumable download (the transfer queue's): written to `partial`, which an interruption leaves in place with
   * the chunks it holds reported through `onChunksDone`; when `partial` exists, `chunks` are the ones it holds.
   */
  resumable?: {partial: string; chunks: ReadonlyMap<number, Buffer>; onChunksDone(first: number, macs: Buffer): void}
}

/**
 * Downloads, decrypts and verifies a file. Ranges are fetched in parallel, decrypted (AES-CTR), MAC'ed and written
 * at their offsets into a temporary file next to `destination`; only when the condensed MAC equals the one in the
 * file key is the temporary file renamed to `destination`. On any failure the temporary file is removed and the
 * error (IntegrityError for a MAC mismatch) is thrown.
 */
export async function downloadData(options: DownloadDataOptions): Promise<void> {
  const {url, size, destination, signal, resumable} = options
  const progress = new ProgressCounter(size, options.onProgress)
  signal?.throwIfAborted()
  // Next to the destination, so the final rename stays on one filesystem.
  const temporary = resumable?.partial ?? partialPathFor(destination)
  if (size > 0 && size <= SMALL_FILE_MAX && !resumable) return downloadSmall(options, temporary, progress)

  const {aesKey, nonce, mac: expectedMac} = unpackFileKey(options.fileKey)
  const connections = options.connections ?? connectionsFor('download')
  const limiter = rateLimiter('download')
  const resumed = resumable !== undefined && (await stat(temporary).catch(() => undefined))?.isFile() === true
  const file = await open(temporary, resumed ? 'r+' : 'wx')
  try {
    // An empty file has no MAC that clients agree on (mega-api.md §5.2: SDK 0, go-mega AES(a,0), megajs
    // AES(a,n‖n)), so it is never verified and needs no request at all.
    if (size > 0) {
      const mac = new FileMacBuilder(aesKey, nonce, size)
      const done = new Set<number>()
      for (const [index, chunkMac] of resumed ? resumable.chunks : []) {
        if (index >= mac.chunkCount) continue
        mac.setChunkMac(index, chunkMac)
        done.add(index)
        progress.skip(Math.min(macChunkStart(index) + macChunkSize(index), size) - macChunkStart(index))
      }
      const pieces = planPieces(size, {connections, maxPieceSize: options.maxPieceSize ?? limitedPieceSize(limiter.bytesPerSecond()), done})
      const pieceCipher = pieceCrypto(mac, aesKey, nonce, options.crypto ?? defaultCryptoPlace(size))
      // Two spare buffers let connections keep fetching while earlier pieces are decrypted, MAC'ed and written.
      const pool = new BufferPool(connections + 2, largestPiece(pieces), pieceCipher.shared)

      await runPieces(pieces, connections, signal, async (piece, pieceSignal) => {
        const buffer = await pool.acquire()
        try {
          await limiter.take(piece.length, pieceSignal)
          await withRetries(
            () => fetchPiece(url, piece, buffer, pieceSignal, options.timeoutMs, (bytes) => progress.update(piece.index, bytes)),
            retryPolicy(options, pieceSignal),
          )
        } catch (error) {
          pool.release(buffer)
          throw error
        }
        // Decrypt and MAC, then write, while this connection fetches its next piece.
        const background = (async () => {
          try {
            await pieceCipher.run('open', piece, buffer)
            await writeFully(file, buffer.subarray(0, piece.length), piece.start)
            if (resumable) {
              const {first, count} = chunksOfPiece(piece.start, piece.length, size)
              resumable.onChunksDone(first, mac.chunkMacs(first, count))
            }
          } finally {
            pool.release(buffer)
          }
        })()
        return {background}
      })

      if (!mac.condensed().equals(expectedMac)) {
        throw corrupt(destination)
      }
    }
    if (options.mtime) await file.utimes(options.mtime, options.mtime).catch(() => undefined)
    await file.close()
    signal?.throwIfAborted()
    await rename(temporary, destination)
    progress.finish()
  } catch (error) {
    await file.close().catch(() => undefined)
    // An interrupted resumable download keeps what it wrote, for the next attempt; anything else leaves nothing.
    if (!(resumable && signal?.aborted)) await rm(temporary, {force: true})
    throw error
  }
}

/**
 * Files up to this size arrive in one request into memory and are written with synchronous calls (open, write,
 * close, rename): 10,000 1 KiB files spent more of the main thread on the promise round trips of five
 * asynchronous file operations each than on anything else (profiled).
 */
const SMALL_FILE_MAX = 262144

async function downloadSmall(options: DownloadDataOptions, temporary: string, progress: ProgressCounter): Promise<void> {
  const {url, size, destination, signal} = options
  const {aesKey, nonce, mac: expectedMac} = unpackFileKey(options.fileKey)
  const piece = {index: 0, start: 0, length: size}
  const data = Buffer.allocUnsafe(size)
  // The partial file is there while the data comes, as for big files: its name is taken, and it shows the download.
  const fd = openSync(temporary, 'wx')
  let held = true
  try {
    await rateLimiter('download').take(size, signal)
    await withRetries(
      () => fetchPiece(url, piece, data, signal, options.timeoutMs, (bytes) => progress.update(0, bytes)),
      retryPolicy(options, signal),
    )
    const mac = new FileMacBuilder(aesKey, nonce, size)
    await pieceCrypto(mac, aesKey, nonce, options.crypto ?? defaultCryptoPlace(size)).run('open', piece, data)
    if (!mac.condensed().equals(expectedMac)) throw corrupt(destination)
    signal?.throwIfAborted()
    for (let done = 0; done < size;) done += writeSync(fd, data, done, size - done, done)
    if (options.mtime) {
      try {
        futimesSync(fd, options.mtime, options.mtime)
      } catch {
        // A filesystem without settable times still gets the file.
      }
    }
    held = false
    closeSync(fd)
    renameSync(temporary, destination)
  } catch (error) {
    // Closed once only: the thread pool may already have been given the same descriptor number for another file.
    if (held) closeSync(fd)
    rmSync(temporary, {force: true})
    throw error
  }
  progress.finish()
}

function corrupt(destination: string): IntegrityError {
  return new IntegrityError(`MAC verification failed for ${basename(destination)}: the downloaded data is corrupt`)
}

/**
 * GETs one piece (mega-api.md §5.3: `<url>/<start>-<end>`, end inclusive, HTTP 200) and copies its ciphertext into
 * `buffer`.
 */
async function fetchPiece(
  url: string,
  piece: Piece,
  buffer: Buffer,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  onBytes: (bytes: number) => void,
): Promise<void> {
  let received = 0
  await httpExchange(new URL(`${url}/${piece.start}-${piece.start + piece.length - 1}`), {method: 'GET', signal, timeoutMs}, {
    head({status, headers}) {
      // megajs handleMegaErrors / megatools to_error: 509 = transfer quota exceeded, X-MEGA-Time-Left in seconds.
      if (status === 509) throw quotaError(headers)
      // Exactly 200 with exactly the range (mega-api.md §5.3; megajs and go-mega reject anything else).
      if (status !== 200) throw new HttpStatusError(status, 'GET')
      const length = headers.get('content-length')
      if (length !== undefined && Number(length) !== piece.length) {
        throw new TransferNetworkError(`reply announces ${length} bytes for a range of ${piece.length}`)
      }
    },
    data(chunk) {
      if (received + chunk.length > piece.length) throw new TransferNetworkError(`reply longer than the ${piece.length} bytes requested`)
      // fill(), not set(): V8 copies into a SharedArrayBuffer with per-byte atomics when source and target are not
      // equally aligned (~0.6 GB/s, profiled), while Buffer#fill with a Buffer value is a plain memcpy.
      if (chunk.length > 0) buffer.fill(chunk, received, received + chunk.length)
      received += chunk.length
      onBytes(received)
    },
  })
  if (received !== piece.length) throw new TransferNetworkError(`reply has ${received} of the ${piece.length} bytes requested`)
}

async function writeFully(file: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < data.length) {
    const {bytesWritten} = await file.write(data, done, data.length - done, position + done)
    done += bytesWritten
  }
}
