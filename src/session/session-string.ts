import {b64decode, b64encode} from '../crypto/base64.js'
import {SID_LENGTH} from '../crypto/session-id.js'
import {UsageError} from '../errors.js'

/**
 * The portable session string `mega session` prints and `mega login <session>` takes: b64(masterKey ‖ sid),
 * the SDK's unencrypted session dump (mega-api.md §3.2, SDK MegaClient::dumpsession), so MEGAcmd session
 * strings of that form work too.
 */
export function encodeSessionString(masterKey: Buffer, sid: string): string {
  return b64encode(Buffer.concat([masterKey, b64decode(sid)]))
}

export function decodeSessionString(text: string): {masterKey: Buffer; sid: string} {
  const raw = b64decode(text.trim())
  if (raw.length !== 16 + SID_LENGTH) throw new UsageError('Invalid session string')
  return {masterKey: raw.subarray(0, 16), sid: b64encode(raw.subarray(16))}
}
