import {chunkLengthsOfPiece, type FileMacBuilder} from '../crypto/file-mac.js'
import type {Piece} from './chunk-plan.js'
import {macWorker} from './mac-workers.js'

/**
 * Adds the chunk MACs of a plaintext piece to a file's MAC builder, either on this thread or on the MAC worker.
 * The piece is the first `piece.length` bytes of a pooled buffer. The worker path moves that buffer to the worker
 * and back, so callers must use the buffer `mac` resolves with from then on (the one they passed is detached).
 */
export type PieceMacer = (piece: Piece, pooled: Buffer) => Promise<Buffer>

export function pieceMacer(builder: FileMacBuilder, aesKey: Uint8Array, nonce: Uint8Array, onWorker: boolean): PieceMacer {
  if (!onWorker) {
    return async (piece, pooled) => {
      builder.addPlaintext(piece.start, pooled.subarray(0, piece.length))
      return pooled
    }
  }
  return async (piece, pooled) => {
    const {first, lengths} = chunkLengthsOfPiece(piece.start, piece.length, builder.size)
    if (lengths.length === 0) return pooled
    const {macs, buffer} = await macWorker.chunkMacs(aesKey, nonce, pooled, lengths)
    builder.setChunkMacs(first, macs)
    return buffer
  }
}
