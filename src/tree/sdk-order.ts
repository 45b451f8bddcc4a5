import {b64decode} from '../crypto/base64.js'

/**
 * The order the SDK keeps users, shares and in-shares in (std::map and std::set keyed by `handle`, a 64-bit
 * integer the b64 bytes are read into little-endian: Base64::atob into a handle), which MEGAcmd's listings follow
 * (`mount`, a folder's shares).
 */
export function compareSdkHandles(a: string, b: string): number {
  const value = (handle: string) => b64decode(handle).reduceRight((sum, byte) => (sum << 8n) | BigInt(byte), 0n)
  const [x, y] = [value(a), value(b)]
  return x < y ? -1 : x > y ? 1 : 0
}
