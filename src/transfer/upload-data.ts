import {randomBytes} from 'node:crypto'
import {open, type FileHandle} from 'node:fs/promises'

import {chunksOfPiece, FileMacBuilder, macChunkSize, macChunkStart} from '../crypto/file-mac.js'
import {packFileKey} from '../crypto/node-key.js'
import {MegaError} from '../errors.js'
import {BufferPool} from './buffer-pool.js'
import {largestPiece, planPieces, type Piece} from './chunk-plan.js'
import {httpExchange} from './http-pool.js'
import {defaultCryptoPlace, pieceCrypto} from './piece-crypto.js'
import {runPieces} from './piece-runner.js'
import {ProgressCounter, type ProgressListener} from './progress.js'
import {retryPolicy, withRetries} from './retry.js'
import {HttpStatusError, parseUploadReply, quotaError, TransferNetworkError} from './transfer-errors.js'
import {limitedPieceSize, rateLimiter} from './rate-limit.js'
import {connectionsFor, type TransferTuning} from './tuning.js'

export interface UploadDataOptions extends TransferTuning {
  /** Upload URL from `u` (mega-api.md §5.1); pieces are POSTed to `<url>/<offset>`. */
  url: string
  /** Local file to upload. */
  source: string
  /** Its content, when the caller read it already (a small file): sent from memory, the file is not read again. */
  content?: Buffer
  /** Its size in bytes, as announced to `u`. */
  size: number
  /** The file's random AES key, when the caller draws it (to encrypt the file's thumbnail meanwhile). */
  aesKey?: Buffer
  /** With aesKey: the nonce an earlier attempt encrypted its chunks with (a resumed upload). */
  nonce?: Buffer
  /** MAC chunks the upload URL already holds (a resumed upload): their MACs by chunk index. */
  doneChunks?: ReadonlyMap<number, Buffer>
  /** Hears of each piece the server acknowledged: its first MAC chunk and the MACs of its chunks. */
  onChunksDone?: (first: number, macs: Buffer) => void
  onProgress?: ProgressListener
  signal?: AbortSignal
}

export interface UploadDataResult {
  /**
   * The reply body that completed the upload, one character per byte (latin1), to be put into `p` (mega-api.md
   * §5.1 item 4: 36 bytes; a v2/v3 server's binary token is b64-encoded by the caller, 48 chars).
   */
  completionToken: string
  /** The same token as raw bytes. */
  completionTokenBytes: Buffer
  /** The 32-byte file key (random AES key and nonce, and the condensed MAC) packed with packFileKey. */
  fileKey: Buffer
}

/**
 * Encrypts and uploads a local file: draws a random AES key and nonce, reads the file piece by piece (positioned
 * reads), MACs and encrypts each piece, and POSTs the pieces in parallel. Returns the completion token from the
 * reply that completed the file and the packed file key. A 0-byte file is one empty POST to `<url>/0`.
 */
export async function uploadData(options: UploadDataOptions): Promise<UploadDataResult> {
  const {url, size, signal} = options
  const connections = options.connections ?? connectionsFor('upload')
  const limiter = rateLimiter('upload')
  signal?.throwIfAborted()
  const aesKey = options.aesKey ?? randomBytes(16)
  const nonce = options.nonce ?? randomBytes(8)
  const mac = new FileMacBuilder(aesKey, nonce, size)
  const progress = new ProgressCounter(size, options.onProgress)
  const done = resumedChunks(mac, progress, options.doneChunks)
  let token: Buffer | undefined

  const source = options.content ? undefined : await open(options.source, 'r')
  try {
    const actualSize = options.content ? options.content.length : (await source!.stat()).size
    if (actualSize !== size) throw new Error(`${options.source} has ${actualSize} bytes, expected ${size}`)
    const pieces = planPieces(size, {connections, maxPieceSize: options.maxPieceSize ?? limitedPieceSize(limiter.bytesPerSecond()), done})
    const pieceCipher = pieceCrypto(mac, aesKey, nonce, options.crypto ?? defaultCryptoPlace(size))
    const pool = new BufferPool(connections, largestPiece(pieces), pieceCipher.shared)

    await runPieces(pieces, connections, signal, async (piece, pieceSignal) => {
      const buffer = await pool.acquire()
      try {
        const data = buffer.subarray(0, piece.length)
        if (options.content) options.content.copy(data, 0, piece.start, piece.start + piece.length)
        else await readFully(source!, data, piece.start)
        // MAC, then encrypt in place (on worker threads for big files); a retry re-sends the same ciphertext.
        await pieceCipher.run('seal', piece, buffer)
        await limiter.take(piece.length, pieceSignal)
        const reply = await withRetries(
          () => postPiece(url, piece, sliceBody(data), pieceSignal, options.timeoutMs, (bytes) => progress.update(piece.index, bytes)),
          retryPolicy(options, pieceSignal),
        )
        token ??= reply
        if (options.onChunksDone && piece.length > 0) {
          const {first, count} = chunksOfPiece(piece.start, piece.length, size)
          options.onChunksDone(first, mac.chunkMacs(first, count))
        }
      } finally {
        pool.release(buffer)
      }
    })
  } finally {
    await source?.close()
  }

  if (!token) throw new MegaError(-1, 'the upload finished without a completion token from the server')
  progress.finish()
  return {
    completionToken: token.toString('latin1'),
    completionTokenBytes: token,
    fileKey: packFileKey({aesKey, nonce, mac: mac.condensed()}),
  }
}

/**
 * The chunks of an earlier attempt, put into the MAC and the progress. When all of them were acknowledged the
 * completion token may have been lost with the attempt, and the upload servers answer it to any chunk of a
 * finished upload (mega-api.md §5.1): the last chunk goes again to get it.
 */
function resumedChunks(mac: FileMacBuilder, progress: ProgressCounter, saved: ReadonlyMap<number, Buffer> | undefined): Set<number> {
  const done = new Set<number>()
  for (const [index, chunkMac] of saved ?? []) {
    if (index >= mac.chunkCount) continue
    mac.setChunkMac(index, chunkMac)
    done.add(index)
  }
  if (done.size === mac.chunkCount) done.delete(mac.chunkCount - 1)
  for (const index of done) progress.skip(Math.min(macChunkStart(index) + macChunkSize(index), mac.size) - macChunkStart(index))
  return done
}

/** POSTs one encrypted piece to `<url>/<offset>` (mega-api.md §5.1 item 2); resolves with the token, if any. */
async function postPiece(
  url: string,
  piece: Piece,
  ciphertext: readonly Buffer[],
  signal: AbortSignal,
  timeoutMs: number | undefined,
  onBytes: (bytes: number) => void,
): Promise<Buffer | undefined> {
  let status = 0
  const body: Buffer[] = []
  let bodySize = 0
  await httpExchange(new URL(`${url}/${piece.start}`), {method: 'POST', body: ciphertext, signal, timeoutMs, onBodyProgress: onBytes}, {
    head(head) {
      if (head.status === 509) throw quotaError(head.headers)
      status = head.status
    },
    data(chunk) {
      bodySize += chunk.length
      if (bodySize > MAX_REPLY) throw new TransferNetworkError(`upload reply larger than ${MAX_REPLY} bytes`)
      body.push(Buffer.from(chunk))
    },
  })
  // A "-N" body is an API error whatever the status (megajs checks the body only).
  const token = parseUploadReply(Buffer.concat(body, bodySize))
  if (status !== 200) throw new HttpStatusError(status, 'POST')
  return token
}

/** Upload replies are empty, a token (36 bytes) or an error number; anything big is not a transfer host. */
const MAX_REPLY = 65536

/** Views of 1 MiB over a piece: the socket writes them in turn, and each completed one advances the progress. */
function sliceBody(data: Buffer): Buffer[] {
  const slices: Buffer[] = []
  for (let pos = 0; pos < data.length; pos += 1048576) slices.push(data.subarray(pos, pos + 1048576))
  return slices
}

async function readFully(file: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < into.length) {
    const {bytesRead} = await file.read(into, done, into.length - done, position + done)
    if (bytesRead === 0) throw new Error(`the file being uploaded shrank: nothing to read at byte ${position + done}`)
    done += bytesRead
  }
}
