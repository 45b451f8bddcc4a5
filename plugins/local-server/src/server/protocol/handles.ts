import {randomBytes} from 'node:crypto'

/**
 * Identifier formats (mega-api.md "Conventions"; SDK megaclient.h): node and public handles are 6 bytes
 * (8 b64 chars), user, session and file-attribute handles 8 bytes (11 chars). Transfer URL tokens are
 * server-private, so they are simply long enough not to be guessed.
 */
export function newNodeHandle(): string {
  if (handlePoolOffset === handlePool.length) {
    handlePool = randomBytes(6 * 1024)
    handlePoolOffset = 0
  }
  handlePoolOffset += 6
  return handlePool.toString('base64url', handlePoolOffset - 6, handlePoolOffset)
}

// Node handles come from a pool refilled 1024 handles at a time: a `p` of 10,000 nodes spent more time in 10,000
// randomBytes calls than in anything but the inserts.
let handlePool = Buffer.alloc(0)
let handlePoolOffset = 0

export function newUserHandle(): string {
  return randomBytes(8).toString('base64url')
}

export function newPublicHandle(): string {
  return randomBytes(6).toString('base64url')
}

export function newSessionHandle(): string {
  return randomBytes(8).toString('base64url')
}

/** An unguessable token for transfer and wait URLs. */
export function newUrlToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}

/**
 * 8 raw bytes answering a file-attribute upload. megajs reads any body whose Number() is negative as an
 * error (mega-api.md §5.1 step 3; megajs _uploadWithSize), so a value that happens to parse that way is
 * drawn again.
 */
export function newFileAttributeHandle(): Buffer {
  for (;;) {
    const h = randomBytes(8)
    if (!(Number(h.toString('latin1')) < 0)) return h
  }
}

/**
 * Upload completion token: 36 bytes that are themselves b64 characters, so it works both as the binary
 * token (clients b64 it to 48 chars) and as the legacy 36-char text token go-mega passes through
 * unchanged (mega-api.md §5.1 step 4). The first character is a letter so no client reads it as `-N`.
 */
export function newCompletionToken(): string {
  for (;;) {
    const token = randomBytes(27).toString('base64url')
    if (/^[A-Za-z]/.test(token)) return token
  }
}

/** `sn` on the wire: b64 of 8 bytes, big-endian (SDK fetchnodes `sn`; go-mega needs a string). */
export function encodeSn(seq: number): string {
  const buf = Buffer.alloc(8)
  buf.writeBigUInt64BE(BigInt(seq))
  return buf.toString('base64url')
}

export function decodeSn(text: string | null | undefined): number | null {
  if (!text || !/^[A-Za-z0-9_-]{11}$/.test(text)) return null
  const value = Buffer.from(text, 'base64url').readBigUInt64BE()
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value)
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
