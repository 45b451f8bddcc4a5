import {open, stat} from 'node:fs/promises'
import {FileMacBuilder} from '../crypto/file-mac.js'
import {unpackFileKey} from '../crypto/node-key.js'
import type {MegaNode} from '../tree/node.js'

const READ_SIZE = 16 * 1024 * 1024

/**
 * True when the local file has exactly the remote file's content (a node's, or a link's file): same size and the
 * same condensed MAC under its key (what `get` checks before writing `name (1).ext` next to an existing file).
 */
export async function localFileMatches(path: string, node: Pick<MegaNode, 'size' | 'key'>): Promise<boolean> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile() || info.size !== node.size || !node.key || node.key.length !== 32) return false
  if (info.size === 0) return true
  const {aesKey, nonce, mac} = unpackFileKey(node.key)
  const builder = new FileMacBuilder(aesKey, nonce, info.size)
  const file = await open(path, 'r')
  try {
    // Reads in multiples of the 1 MiB grid after the first 8 chunks (4.5 MiB): 16 MiB pieces stay aligned
    // once past them, so read the first 4.5 MiB on its own.
    let offset = 0
    const first = Math.min(info.size, 4718592)
    const buffer = Buffer.allocUnsafe(Math.max(first, Math.min(READ_SIZE, info.size)))
    while (offset < info.size) {
      const length = offset === 0 ? first : Math.min(READ_SIZE, info.size - offset)
      const {bytesRead} = await file.read(buffer, 0, length, offset)
      if (bytesRead !== length) return false
      builder.addPlaintext(offset, buffer.subarray(0, length))
      offset += length
    }
  } finally {
    await file.close()
  }
  return builder.condensed().equals(mac)
}
