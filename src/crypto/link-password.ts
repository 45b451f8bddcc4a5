import {createHmac, pbkdf2Sync, randomBytes, timingSafeEqual} from 'node:crypto'

/**
 * Password-protected links (`https://mega.nz/#P!<payload>`), made and opened entirely on the client, as the SDK
 * does (MegaClient::encryptlink / decryptlink, src/megaclient.cpp) after the webclient's design (meganz/webclient
 * js/ui/export.js, `exportPassword`). The payload is
 *   algorithm (1 byte) ‖ type (1 byte: 0 folder, 1 file) ‖ public handle (6) ‖ salt (32) ‖ key XOR derived[0..n) ‖ MAC (32)
 * with derived = PBKDF2-HMAC-SHA512(password, salt, 100 000 rounds, 64 bytes) and the MAC an HMAC-SHA256 of all
 * the bytes before it. Algorithm 2 keys the HMAC with derived[32..64); algorithm 1 (the webclient's first
 * version) swapped key and data: HMAC keyed with those bytes themselves, over derived[32..64). New links use 2
 * (as the SDK); both open.
 */
export interface ProtectedLinkContent {
  type: 'file' | 'folder'
  /** The public handle's 6 bytes. */
  handle: Buffer
  /** 32-byte file key or 16-byte folder (share) key. */
  key: Buffer
}

const ROUNDS = 100_000
const SALT_BYTES = 32
const MAC_BYTES = 32
const HEADER_BYTES = 2 + 6 + SALT_BYTES

/** The password does not open the link (its MAC does not match: wrong password, or a damaged link). */
export class WrongLinkPasswordError extends Error {
  override readonly name = 'WrongLinkPasswordError'
  constructor() {
    super('the password does not open this link')
  }
}

/** The payload cannot be a protected link (too short, unknown algorithm or type). */
export class MalformedProtectedLinkError extends Error {
  override readonly name = 'MalformedProtectedLinkError'
}

function derive(password: string, salt: Buffer): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ROUNDS, 64, 'sha512')
}

function mac(algorithm: number, derived: Buffer, data: Buffer): Buffer {
  const macKey = derived.subarray(32, 64)
  return algorithm === 1 ? createHmac('sha256', data).update(macKey).digest() : createHmac('sha256', macKey).update(data).digest()
}

/** The payload of a protected link for `content` under `password` (algorithm 2, a fresh random salt). */
export function protectLinkContent(content: ProtectedLinkContent, password: string, salt: Buffer = randomBytes(SALT_BYTES)): Buffer {
  const derived = derive(password, salt)
  const encryptedKey = Buffer.alloc(content.key.length)
  for (let i = 0; i < content.key.length; i++) encryptedKey[i] = content.key[i] ^ derived[i]
  const data = Buffer.concat([Buffer.from([2, content.type === 'folder' ? 0 : 1]), content.handle, salt, encryptedKey])
  return Buffer.concat([data, mac(2, derived, data)])
}

/** Opens a protected link's payload with `password`. */
export function openProtectedLinkContent(payload: Buffer, password: string): ProtectedLinkContent {
  if (payload.length < HEADER_BYTES) throw new MalformedProtectedLinkError('the protected link is too short')
  const algorithm = payload[0]
  if (algorithm !== 1 && algorithm !== 2) throw new MalformedProtectedLinkError(`unknown protected link algorithm ${algorithm}`)
  if (payload[1] > 1) throw new MalformedProtectedLinkError('the protected link names neither a file nor a folder')
  const type = payload[1] === 0 ? 'folder' : 'file'
  const keyLength = type === 'folder' ? 16 : 32
  if (payload.length < HEADER_BYTES + keyLength + MAC_BYTES) throw new MalformedProtectedLinkError('the protected link is too short')
  const data = payload.subarray(0, HEADER_BYTES + keyLength)
  const salt = payload.subarray(8, HEADER_BYTES)
  const derived = derive(password, salt)
  const expected = payload.subarray(HEADER_BYTES + keyLength, HEADER_BYTES + keyLength + MAC_BYTES)
  if (!timingSafeEqual(mac(algorithm, derived, data), expected)) throw new WrongLinkPasswordError()
  const key = Buffer.alloc(keyLength)
  for (let i = 0; i < keyLength; i++) key[i] = payload[HEADER_BYTES + i] ^ derived[i]
  return {type, handle: Buffer.from(payload.subarray(2, 8)), key}
}
