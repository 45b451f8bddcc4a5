import {aesCtrInto, ctrCounterBlock} from '../crypto/ctr.js'
import {chunkLengthsOfPiece, chunkMacIv, type FileMacBuilder} from '../crypto/file-mac.js'
import type {Piece} from './chunk-plan.js'
import {cryptoWorkers, type PieceOp} from './crypto-workers.js'

/**
 * The crypto of one piece, which is the first `piece.length` bytes of a pooled buffer, done in place: `seal` MACs
 * the plaintext and encrypts it (upload), `open` decrypts and MACs the plaintext (download); the chunk MACs go into
 * the file's MAC builder.
 */
export interface PieceCrypto {
  /** True when pooled buffers must live in SharedArrayBuffers (work happens on worker threads). */
  readonly shared: boolean
  run(op: PieceOp, piece: Piece, pooled: Buffer): Promise<void>
}

export function pieceCrypto(mac: FileMacBuilder, aesKey: Uint8Array, nonce: Uint8Array, onWorkers: boolean): PieceCrypto {
  if (!onWorkers) {
    return {
      shared: false,
      async run(op, piece, pooled) {
        const data = pooled.subarray(0, piece.length)
        if (op === 'seal') mac.addPlaintext(piece.start, data)
        aesCtrInto(aesKey, nonce, piece.start, data, data)
        if (op === 'open') mac.addPlaintext(piece.start, data)
      },
    }
  }
  const macIv = chunkMacIv(nonce)
  return {
    shared: true,
    async run(op, piece, pooled) {
      if (piece.length === 0) return
      const {first, lengths} = chunkLengthsOfPiece(piece.start, piece.length, mac.size)
      const macs = await cryptoWorkers.run({
        op, buffer: pooled, length: piece.length, aesKey, counter: ctrCounterBlock(nonce, piece.start), macIv, lengths,
      })
      mac.setChunkMacs(first, macs)
    },
  }
}
