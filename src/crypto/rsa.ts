import {constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, type KeyObject} from 'node:crypto'
import {aesEcbDecrypt, aesEcbEncrypt, zeroPad16} from './aes.js'
import {b64decode, b64encode} from './base64.js'

/**
 * MEGA's RSA: MPI-encoded keys and "raw" RSA without PKCS#1 padding (mega-api.md §2.3;
 * SDK AsymmCipher, megatools b64_encode_pubk/b64_aes128_encrypt_privk, megajs cryptoDecodePrivKey).
 * The arithmetic runs in OpenSSL through RSA_NO_PADDING.
 */

export interface RsaPrivateKey {p: bigint; q: bigint; d: bigint; u: bigint}
export interface RsaPublicKey {n: bigint; e: bigint}

// ---- MPI: 2-byte big-endian bit count, then the magnitude ----

export function bigintToBytes(value: bigint): Buffer {
  let hex = value.toString(16)
  if (hex.length % 2) hex = '0' + hex
  return value === 0n ? Buffer.alloc(0) : Buffer.from(hex, 'hex')
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'))
}

export function encodeMpi(value: bigint): Buffer {
  const bytes = bigintToBytes(value)
  const header = Buffer.alloc(2)
  header.writeUInt16BE(value === 0n ? 0 : value.toString(2).length)
  return Buffer.concat([header, bytes])
}

/** Reads `count` MPIs from the front of `data`. */
export function decodeMpis(data: Uint8Array, count: number): bigint[] {
  const out: bigint[] = []
  let pos = 0
  for (let i = 0; i < count; i++) {
    if (pos + 2 > data.length) throw new RangeError('truncated MPI')
    const bits = (data[pos] << 8) | data[pos + 1]
    const len = Math.ceil(bits / 8)
    if (pos + 2 + len > data.length) throw new RangeError('truncated MPI')
    out.push(bytesToBigint(data.subarray(pos + 2, pos + 2 + len)))
    pos += 2 + len
  }
  return out
}

// ---- key pairs ----

export interface RsaKeyPair {privateKey: RsaPrivateKey; publicKey: RsaPublicKey}

/** A 2048-bit pair with e = 17, as the SDK generates (MegaClient::setkeypair). */
export function generateRsaKeyPair(bits = 2048): RsaKeyPair {
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: bits, publicExponent: 17})
  // PKCS#1 DER, not JWK: Node 20 holds the key's mutex while it builds the JWK's many strings, and a garbage
  // collection in that window that finalises the key's generation job (~KeyGenJob locks the same mutex) deadlocks
  // the process for ever (seen in a test run: gdb showed ExportJWK → GC → ~KeyGenJob → uv_mutex_lock). One buffer
  // leaves that window nearly closed.
  // RSAPrivateKey ::= SEQUENCE {version, n, e, d, p, q, dp, dq, qi} (RFC 8017 A.1.2)
  const [, n, e, d, jp, jq, , , qi] = derIntegers(privateKey.export({type: 'pkcs1', format: 'der'}))
  // MEGA stores u = p^-1 mod q; PKCS#1 carries qi = q^-1 mod p, so MEGA's p is PKCS#1's q.
  return {privateKey: {p: jq, q: jp, d, u: qi}, publicKey: {n, e}}
}

/** The INTEGERs of a DER SEQUENCE of INTEGERs (all an RSAPrivateKey holds). */
function derIntegers(der: Buffer): bigint[] {
  let pos = 0
  const length = (): number => {
    const first = der[pos++]
    if (first < 0x80) return first
    let value = 0
    for (let i = 0; i < (first & 0x7f); i++) value = value * 256 + der[pos++]
    return value
  }
  if (der[pos++] !== 0x30) throw new RangeError('not a DER SEQUENCE')
  const end = length() + pos
  const integers: bigint[] = []
  while (pos < end) {
    if (der[pos++] !== 0x02) throw new RangeError('not a DER INTEGER')
    const size = length()
    integers.push(bytesToBigint(der.subarray(pos, pos + size)))
    pos += size
  }
  return integers
}

/** `pubk` = b64(MPI(n) ‖ MPI(e)). */
export function encodePublicKey(key: RsaPublicKey): string {
  return b64encode(Buffer.concat([encodeMpi(key.n), encodeMpi(key.e)]))
}

export function decodePublicKey(pubk: string): RsaPublicKey {
  const [n, e] = decodeMpis(b64decode(pubk), 2)
  return {n, e}
}

/** `privk` = b64(AES-ECB(masterKey, MPI(p) ‖ MPI(q) ‖ MPI(d) ‖ MPI(u), zero-padded)). */
export function encryptPrivateKey(key: RsaPrivateKey, masterKey: Uint8Array): string {
  const plain = Buffer.concat([encodeMpi(key.p), encodeMpi(key.q), encodeMpi(key.d), encodeMpi(key.u)])
  return b64encode(aesEcbEncrypt(masterKey, zeroPad16(plain)))
}

export function decryptPrivateKey(privk: string, masterKey: Uint8Array): RsaPrivateKey {
  const [p, q, d, u] = decodeMpis(aesEcbDecrypt(masterKey, b64decode(privk)), 4)
  if (p * q < 2n ** 512n) throw new RangeError('private key does not decrypt (wrong master key?)')
  return {p, q, d, u}
}

// ---- raw RSA ----

function modulusBytes(n: bigint): number {
  return Math.ceil(n.toString(2).length / 8)
}

function toJwkInt(value: bigint): string {
  return bigintToBytes(value).toString('base64url')
}

function mod(a: bigint, m: bigint): bigint {
  return ((a % m) + m) % m
}

function publicKeyObject(key: RsaPublicKey): KeyObject {
  return createPublicKey({key: {kty: 'RSA', n: toJwkInt(key.n), e: toJwkInt(key.e)}, format: 'jwk'})
}

function privateKeyObject(key: RsaPrivateKey, e = 17n): KeyObject {
  const {p, q, d} = key
  // OpenSSL's qi is q^-1 mod p, which is MEGA's u once p and q swap roles.
  return createPrivateKey({
    key: {
      kty: 'RSA', n: toJwkInt(p * q), e: toJwkInt(e), d: toJwkInt(d),
      p: toJwkInt(q), q: toJwkInt(p), dp: toJwkInt(mod(d, q - 1n)), dq: toJwkInt(mod(d, p - 1n)), qi: toJwkInt(key.u),
    },
    format: 'jwk',
  })
}

/**
 * MEGA-RSA encryption: plaintext ‖ random bytes up to bytes(n) − 2, then c = m^e mod n, output MPI(c)
 * (SDK AsymmCipher::encrypt).
 */
export function rsaEncrypt(key: RsaPublicKey, plaintext: Uint8Array): Buffer {
  const size = modulusBytes(key.n)
  if (plaintext.length > size - 2) throw new RangeError('plaintext too long for the RSA key')
  const padded = Buffer.concat([Buffer.alloc(2), plaintext, randomBytes(size - 2 - plaintext.length)])
  const c = publicEncrypt({key: publicKeyObject(key), padding: constants.RSA_NO_PADDING}, padded)
  return encodeMpi(bytesToBigint(c))
}

/**
 * Decrypts an MPI-encoded ciphertext and returns m as big-endian bytes of length bytes(p)+bytes(q)−2, the
 * layout the SDK reads its plaintext from (AsymmCipher::decrypt). Callers take the first N bytes.
 */
export function rsaDecrypt(key: RsaPrivateKey, ciphertext: Uint8Array): Buffer {
  const [c] = decodeMpis(ciphertext, 1)
  const size = modulusBytes(key.p * key.q)
  const m = privateDecrypt({key: privateKeyObject(key), padding: constants.RSA_NO_PADDING}, bigintToBytes(c).length < size
    ? Buffer.concat([Buffer.alloc(size - bigintToBytes(c).length), bigintToBytes(c)])
    : bigintToBytes(c))
  const outLen = modulusBytes(key.p) + modulusBytes(key.q) - 2
  return m.subarray(m.length - outLen)
}
