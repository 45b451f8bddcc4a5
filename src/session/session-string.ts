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
 * Session strings and session ids are b64, so one in 64 begins with '-', and the command-line parser would
 * take it for flags (`-dW1b…` → "Nonexistent flag", or worse `-v…` → verbose plus garbage). A b64 token of
 * exactly `length` characters can never be a flag of ours, so it is moved behind `--`, where it is read as the
 * positional argument it is.
 */
export function b64TokensAsArguments(argv: string[], length: number): string[] {
  const isToken = (token: string) => token.length === length && token.startsWith('-') && isB64(token)
  const tokens = argv.filter(isToken)
  if (tokens.length === 0 || argv.includes('--')) return argv
  return [...argv.filter((token) => !isToken(token)), '--', ...tokens]
}

/** `login <session string>`, whatever its first character. */
export function sessionStringsAsArguments(argv: string[]): string[] {
  return b64TokensAsArguments(argv, SESSION_STRING_LENGTH)
}
