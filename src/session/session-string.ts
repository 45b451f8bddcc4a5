import {b64decode, b64encode, isB64} from '../crypto/base64.js'
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

/** Characters of a session string: 16 + 43 bytes in unpadded b64. */
const SESSION_STRING_LENGTH = Math.ceil(((16 + SID_LENGTH) * 4) / 3)

/**
 * A session string is b64, so one in 64 begins with '-', and the command-line parser would take it for
 * flags (`-dW1b…` → "Nonexistent flag", or worse `-v…` → verbose plus garbage). Such a token can never be a
 * flag of ours, so it is moved behind `--`, where it is read as the positional argument it is.
 */
export function sessionStringsAsArguments(argv: string[]): string[] {
  const isSession = (token: string) => token.length === SESSION_STRING_LENGTH && token.startsWith('-') && isB64(token)
  const sessions = argv.filter(isSession)
  if (sessions.length === 0 || argv.includes('--')) return argv
  return [...argv.filter((token) => !isSession(token)), '--', ...sessions]
}
