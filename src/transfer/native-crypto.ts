import {createRequire} from 'node:module'

/**
 * The native bulk crypto of src/native/file-crypto.c (AES-NI: CTR in place and eight chunk MACs side by side, on
 * libuv's thread pool), when scripts/build-native.js built it and the CPU has AES-NI; otherwise undefined, and
 * pieces go through node:crypto (piece-crypto.ts).
 */
export interface FileCryptoAddon {
  /**
   * `seal`: MAC the plaintext, then encrypt it (upload); otherwise decrypt, then MAC (download). `data` is worked on
   * in place; resolves with the chunk MACs, 16 bytes per entry of `lengths`, which add up to data's length.
   */
  processPiece(seal: boolean, data: Uint8Array, key: Uint8Array, counter: Uint8Array, iv: Uint8Array, lengths: Uint32Array): Promise<Buffer>
  /** The same on the calling thread, for small pieces (the trip through the thread pool costs more). */
  processPieceSync(seal: boolean, data: Uint8Array, key: Uint8Array, counter: Uint8Array, iv: Uint8Array, lengths: Uint32Array): Buffer
}

export const nativeFileCrypto: FileCryptoAddon | undefined = load()

function load(): FileCryptoAddon | undefined {
  if (process.env.MEGA_SHELL_NO_NATIVE === '1') return undefined
  const require = createRequire(import.meta.url)
  // Compiled code runs from src/dist/transfer/, where the addon is ../native/; sources under tsx from src/transfer/.
  for (const path of ['../native/file-crypto.node', '../dist/native/file-crypto.node']) {
    try {
      const addon = require(path) as FileCryptoAddon & {supported: boolean}
      return addon.supported ? addon : undefined
    } catch {
      // Not built here (no C compiler, not x86-64): try the next place, then do without.
    }
  }
  return undefined
}
