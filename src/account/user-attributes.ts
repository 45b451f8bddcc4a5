import type {ApiClient} from '../api/client.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {decryptTlv} from '../crypto/tlv.js'
import {MegaError} from '../errors.js'

/**
 * The user attributes MEGAcmd knows by name (SDK UserAttrDefinition: short name, long name), in the SDK's
 * attr_t order. MEGAcmd's `userattr` without a name walks that order from 0 and stops at the first number
 * without a name (28, a retired attribute), so only the first 28 are `listed`; the rest are still known by
 * name (megacmdexecuter.cpp userattr, printUserAttribute).
 */
export interface UserAttributeInfo {
  name: string
  longName: string
  listed: boolean
  /** Why the SDK's generic setter refuses it: -2 (needs a dedicated setter) or -11 (read-only); undefined = settable. */
  setError?: -2 | -11
}

const READ_ONLY = -11
const DEDICATED = -2

const TABLE: Array<[string, string, (-2 | -11)?]> = [
  ['+a', 'AVATAR', DEDICATED], ['firstname', 'FIRSTNAME'], ['lastname', 'LASTNAME'], ['*!authring', 'AUTHRING', READ_ONLY],
  ['*!lstint', 'LAST_INT', READ_ONLY], ['+puEd255', 'ED25519_PUBK', READ_ONLY], ['+puCu255', 'CU25519_PUBK', READ_ONLY],
  ['*keyring', 'KEYRING', READ_ONLY], ['+sigPubk', 'SIG_RSA_PUBK', READ_ONLY], ['+sigCu255', 'SIG_CU255_PUBK', READ_ONLY],
  ['country', 'COUNTRY'], ['birthday', 'BIRTHDAY'], ['birthmonth', 'BIRTHMONTH'], ['birthyear', 'BIRTHYEAR'],
  ['^!lang', 'LANGUAGE'], ['^!prd', 'PWD_REMINDER', DEDICATED], ['^!dv', 'DISABLE_VERSIONS'],
  ['^!clv', 'CONTACT_LINK_VERIFICATION'], ['*!rp', 'RICH_PREVIEWS', DEDICATED], ['^!rubbishtime', 'RUBBISH_TIME'],
  ['^!lastPsa', 'LAST_PSA'], ['^!usl', 'STORAGE_STATE', READ_ONLY], ['*!geo', 'GEOLOCATION', DEDICATED],
  ['*!cam', 'CAMERA_UPLOADS_FOLDER', DEDICATED], ['*!cf', 'MY_CHAT_FILES_FOLDER', DEDICATED], ['^!ps', 'PUSH_SETTINGS'],
  ['*~usk', 'UNSHAREABLE_KEY', DEDICATED], ['*!>alias', 'ALIAS', DEDICATED],
  // Not listed: after the gap at attr_t 28.
  ['*!authCu255', 'AUTHCU255', READ_ONLY], ['*!dn', 'DEVICE_NAMES', DEDICATED], ['^!bak', 'MY_BACKUPS_FOLDER', READ_ONLY],
  ['^!csp', 'COOKIE_SETTINGS', DEDICATED], ['*~jscd', 'JSON_SYNC_CONFIG_DATA', DEDICATED], ['^!nokit', 'NO_CALLKIT'],
  ['^!keys', 'KEYS', READ_ONLY], ['*!aPrefs', 'APPS_PREFS', DEDICATED], ['*!ccPref', 'CC_PREFS', DEDICATED],
  ['^!weldlg', 'VISIBLE_WELCOME_DIALOG'], ['^!tos', 'VISIBLE_TERMS_OF_SERVICE'], ['pwmh', 'PWM_BASE', READ_ONLY],
  ['^!tnotif', 'ENABLE_TEST_NOTIFICATIONS'], ['^!lnotif', 'LAST_READ_NOTIFICATION'], ['^!lbannr', 'LAST_ACTIONED_BANNER'],
  ['^!tsur', 'ENABLE_TEST_SURVEYS'],
]
const LISTED_COUNT = 28

export const USER_ATTRIBUTES: readonly UserAttributeInfo[] = TABLE.map(([name, longName, setError], i) => ({name, longName, listed: i < LISTED_COUNT, setError}))

/** Older SDKs spelled the contact-link attribute `^clv` (mega-api.md §3.9). */
const ALIASES: Record<string, string> = {'^clv': '^!clv'}

export function findUserAttribute(name: string): UserAttributeInfo | undefined {
  const wanted = ALIASES[name] ?? name
  return USER_ATTRIBUTES.find((a) => a.name === wanted)
}

export interface UserAttributeValue {
  value: Buffer
  version?: string
}

/**
 * `uga {u, ua, v:1}` → {av, v} (mega-api.md §3.9; SDK CommandGetUA). `user` is a handle or an email.
 * Not set → null (-9); other errors (e.g. -11 for another user's private attribute) are thrown.
 */
export async function fetchUserAttribute(api: ApiClient, user: string, name: string): Promise<UserAttributeValue | null> {
  try {
    const reply = await api.request<{av?: string; v?: string} | string>({a: 'uga', u: user, ua: name, v: 1})
    // Without v:1 older servers answered the bare b64 value (mega-api.md §3.9).
    if (typeof reply === 'string') return {value: b64decode(reply)}
    return {value: b64decode(reply.av ?? ''), version: reply.v}
  } catch (error) {
    if (error instanceof MegaError && error.code === -9) return null
    throw error
  }
}

/** `up2 {name: b64(value)}` → {name: version} for the non-versioned attributes (SDK CommandPutUA). */
export async function storeUserAttribute(api: ApiClient, name: string, value: Uint8Array): Promise<string | undefined> {
  const reply = await api.request<Record<string, unknown>>({a: 'up2', [name]: b64encode(value)})
  const version = reply && typeof reply === 'object' ? reply[name] : undefined
  return typeof version === 'string' ? version : undefined
}

const PUBLIC_KEYS = new Set(['+puEd255', '+puCu255', '+sigPubk', '+sigCu255'])
const strictUtf8 = new TextDecoder('utf-8', {fatal: true})

/** Text a person can read, or null for binary data (control characters other than tab/newline, bad UTF-8). */
function printable(bytes: Uint8Array): string | null {
  try {
    const text = strictUtf8.decode(bytes)
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? null : text
  } catch {
    return null
  }
}

/**
 * How `userattr` shows a value: plain text for text attributes (firstname, `^!lang`…), b64 for the public
 * keys (the SDK hands those out as b64 text), and for `*` attributes the decrypted records as a JSON object
 * when the master key opens them and every value is text. null = MEGAcmd's "NOT PRINTABLE".
 */
export function attributeText(name: string, value: Buffer, masterKey: Buffer | null): string | null {
  if (PUBLIC_KEYS.has(name)) return b64encode(value)
  if (name.startsWith('*')) {
    const records = masterKey ? decryptTlv(masterKey, value) : null
    if (!records) return null
    const shown: Record<string, string> = {}
    for (const [key, bytes] of Object.entries(records)) {
      const text = printable(bytes)
      if (text === null) return null
      shown[key] = text
    }
    return JSON.stringify(shown)
  }
  return printable(value)
}
