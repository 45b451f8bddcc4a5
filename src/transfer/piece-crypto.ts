import {aesCtrInto, ctrCounterBlock} from '../crypto/ctr.js'
import {chunkLengthsOfPiece, chunkMacIv, type FileMacBuilder} from '../crypto/file-mac.js'
import type {Piece} from './chunk-plan.js'
import {cryptoWorkers, type PieceOp} from './crypto-workers.js'
import {nativeFileCrypto} from './native-crypto.js'

/**
 * Where a transfer's bulk crypto runs: the native addon (native-crypto.ts), OpenSSL on worker threads
 * (crypto-workers.ts), or OpenSSL on the main thread. All three give the same bytes and MACs (test/unit/transfer-data).
 */
export type CryptoPlace = 'native' | 'workers' | 'main-thread'

/**
 * Files from this size on go to worker threads when there is no native addon; smaller ones do not pay for starting
 * them (~30-50 ms once per process) and make too little garbage to matter.
 */
export const WORKER_MIN_SIZE = 16 * 1048576

/** Pieces up to this size are done by the native addon on the calling thread: ~70 µs of AES-NI at most. */
const NATIVE_SYNC_MAX = 262144

export function defaultCryptoPlace(size: number): CryptoPlace {
  if (nativeFileCrypto) return 'native'
  return size >= WORKER_MIN_SIZE ? 'workers' : 'main-thread'
}

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

export function pieceCrypto(mac: FileMacBuilder, aesKey: Uint8Array, nonce: Uint8Array, place: CryptoPlace): PieceCrypto {
  const macIv = chunkMacIv(nonce)
  switch (place) {
    case 'native': {
      const addon = nativeFileCrypto
      if (!addon) throw new Error('the native file crypto is not built here')
      return {
        shared: false,
        async run(op, piece, pooled) {
          const {first, lengths} = chunkLengthsOfPiece(piece.start, piece.length, mac.size)
          const data = pooled.subarray(0, piece.length)
          const args = [op === 'seal', data, aesKey, ctrCounterBlock(nonce, piece.start), macIv, Uint32Array.from(lengths)] as const
          mac.setChunkMacs(first, piece.length <= NATIVE_SYNC_MAX ? addon.processPieceSync(...args) : await addon.processPiece(...args))
        },
      }
    }
    case 'workers':
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
    case 'main-thread':
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
}
