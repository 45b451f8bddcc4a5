import {macChunkCount, macChunkSize, macChunkStart} from '../crypto/file-mac.js'

/**
 * How a file is cut into HTTP requests. Every piece starts and ends on the MAC chunk grid (or at the end of the
 * file), so each piece's chunk MACs can be computed on its own and pieces may finish in any order
 * (mega-api.md §5.1: clients may send several grid chunks in one POST; SDK up to 32 MB, webclient "boost").
 */
export interface Piece {
  /** Position in the plan, 0-based. */
  index: number
  /** First byte of the piece in the file. */
  start: number
  /** Number of bytes (0 only for the single piece of an empty file). */
  length: number
}

export interface PiecePlanOptions {
  /** Upper bound of a piece; a single MAC chunk (≤ 1 MiB) is never split. */
  maxPieceSize?: number
  /** Lower bound of the split target, so that small files are not cut into many tiny requests. */
  minPieceSize?: number
  /** Connections that will share the file: mid-sized files are cut into about this many pieces. */
  connections?: number
  /** MAC chunks already transferred (a resumed transfer): pieces cover only the others. */
  done?: {has(chunk: number): boolean}
}

export const DEFAULT_MAX_PIECE_SIZE = 8 * 1048576
export const DEFAULT_MIN_PIECE_SIZE = 1048576

/**
 * Cuts a file of `size` bytes into pieces of about min(max, max(min, size / connections)) bytes, greedily
 * packing whole MAC chunks. An empty file is one empty piece at offset 0 (megajs and go-mega upload a 0-byte
 * file as one empty POST to `<url>/0`, mega-api.md §5.1 item 5).
 */
export function planPieces(size: number, options: PiecePlanOptions = {}): Piece[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid file size ${size}`)
  if (size === 0) return [{index: 0, start: 0, length: 0}]
  const max = options.maxPieceSize ?? DEFAULT_MAX_PIECE_SIZE
  const min = options.minPieceSize ?? DEFAULT_MIN_PIECE_SIZE
  const connections = Math.max(1, options.connections ?? 1)
  const target = Math.min(max, Math.max(min, Math.ceil(size / connections)))

  const pieces: Piece[] = []
  const chunks = macChunkCount(size)
  let start = 0
  let end = 0
  for (let chunk = 0; chunk < chunks; chunk++) {
    const chunkStart = macChunkStart(chunk)
    const chunkEnd = Math.min(chunkStart + macChunkSize(chunk), size)
    if (options.done?.has(chunk)) {
      if (end > start) pieces.push({index: pieces.length, start, length: end - start})
      start = end = chunkEnd
      continue
    }
    if (end > start && chunkEnd - start > target) {
      pieces.push({index: pieces.length, start, length: end - start})
      start = end
    }
    end = chunkEnd
  }
  // Nothing left when every chunk is done (a resumed transfer whose last chunk was confirmed).
  if (end > start) pieces.push({index: pieces.length, start, length: end - start})
  return pieces
}

/** Size of the largest piece (a loop, not Math.max(...): a 1 TB file has 100k+ pieces, too many arguments). */
export function largestPiece(pieces: readonly Piece[]): number {
  let largest = 0
  for (const piece of pieces) largest = Math.max(largest, piece.length)
  return largest
}
