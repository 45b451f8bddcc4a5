import {b64decode, isB64} from '../crypto/base64.js'
import {MegaError} from '../errors.js'

export interface SignupLink {
  /** The code after "confirm", as the server expects it in `ud2 {c}`. */
  code: string
  email: string
  /** Full name given at signup. */
  name: string
}

const PREFIX = 'ConfirmCodeV2'
const TOKEN_LENGTH = 15
const HASH_LENGTH = 8

/**
 * Reads a v2 confirmation link locally, as MEGAcmd does before asking for the password (SDK
 * MegaApiImpl querySignupLink for v2 codes): `https://mega.nz/#confirm<code>` (also `…/confirm<code>` and a
 * bare `#confirm<code>`), code = b64("ConfirmCodeV2" ‖ token (15) ‖ email ‖ TAB ‖ full name ‖ hash (8))
 * (mega-api.md §3.5 v2 step 4). A malformed link is EARGS, the SDK's answer.
 */
export function decodeSignupLink(link: string): SignupLink {
  const match = /(?:^|[#/])confirm([A-Za-z0-9_-]+)$/.exec(link.trim())
  if (!match || !isB64(match[1])) throw new MegaError(-2)
  const code = match[1]
  const raw = b64decode(code)
  const minimum = PREFIX.length + TOKEN_LENGTH + 1 + HASH_LENGTH
  if (raw.length < minimum || raw.subarray(0, PREFIX.length).toString('latin1') !== PREFIX) throw new MegaError(-2)
  const text = raw.subarray(PREFIX.length + TOKEN_LENGTH, raw.length - HASH_LENGTH).toString('utf8')
  const tab = text.indexOf('\t')
  if (tab <= 0) throw new MegaError(-2)
  return {code, email: text.slice(0, tab), name: text.slice(tab + 1)}
}
