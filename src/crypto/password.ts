import {createHash, pbkdf2Sync} from 'node:crypto'
import {ecbEncryptor, zeroPad16} from './aes.js'
import {b64encode} from './base64.js'

/**
 * Password-derived keys for the two login versions (mega-api.md §2.1, §2.2;
 * megajs prepareKey/prepareKeyV2, SDK MegaClient::deriveKey).
 */

const V1_INITIAL_KEY = Buffer.from('93C467E37DB0C7A4D1BE3F810152CB56', 'hex')

/** v1 password key: 65536 rounds of AES-ECB of a fixed block under each 16-byte piece of the password. */
export function passwordKeyV1(password: string): Buffer {
  const bytes = Buffer.from(password, 'utf8')
  const pieces: ((b: Uint8Array) => Buffer)[] = []
  for (let i = 0; i < Math.max(bytes.length, 1); i += 16) pieces.push(ecbEncryptor(zeroPad16(bytes.subarray(i, i + 16), true)))
  let pkey: Buffer = Buffer.from(V1_INITIAL_KEY)
  for (let r = 0; r < 65536; r++) for (const encrypt of pieces) pkey = encrypt(pkey)
  return pkey
}

/** v1 user hash `uh`: the lower-cased email folded into 16 bytes, encrypted 16384 times (8 bytes kept). */
export function userHashV1(email: string, passwordKey: Uint8Array): string {
  const e = Buffer.from(email.toLowerCase(), 'utf8')
  let h: Buffer = Buffer.alloc(16)
  for (let i = 0; i < e.length; i++) h[i % 16] ^= e[i]
  const encrypt = ecbEncryptor(passwordKey)
  for (let r = 0; r < 16384; r++) h = encrypt(h)
  return b64encode(Buffer.concat([h.subarray(0, 4), h.subarray(8, 12)]))
}

/** v2 salt: SHA-256("mega.nz" padded with 'P' to 200 bytes ‖ client random value) (SDK sendsignuplink2). */
export function saltV2(clientRandomValue: Uint8Array): Buffer {
  const prefix = Buffer.alloc(200, 'P')
  prefix.write('mega.nz', 0, 'ascii')
  return createHash('sha256').update(prefix).update(clientRandomValue).digest()
}

export interface DerivedKeysV2 {
  /** Decrypts the master key (`k`). */
  passwordKey: Buffer
  /** Sent as `uh` at login. */
  authKey: Buffer
}

/** v2 keys: PBKDF2-HMAC-SHA512(password, salt, 100000, 32 bytes) split in two halves. */
export function deriveKeysV2(password: string, salt: Uint8Array): DerivedKeysV2 {
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 100000, 32, 'sha512')
  return {passwordKey: derived.subarray(0, 16), authKey: derived.subarray(16, 32)}
}

/** What the server stores to check a v2 login: SHA-256(authKey)[0..16) (`hak`). */
export function hashedAuthKey(authKey: Uint8Array): Buffer {
  return createHash('sha256').update(authKey).digest().subarray(0, 16)
}
