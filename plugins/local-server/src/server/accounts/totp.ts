import {createHmac} from 'node:crypto'

/**
 * RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits), the scheme MEGA's two-factor login uses with
 * authenticator apps. Secrets are base32 (RFC 4648) as those apps show them.
 */
const STEP_SECONDS = 30
const DIGITS = 6

export function decodeBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch)
    if (idx < 0) throw new Error('invalid base32 TOTP secret')
    value = (value << 5) | idx
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', decodeBase32(secret)).update(counter).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0')
}

export function currentStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / STEP_SECONDS)
}

/** The time step `code` belongs to, allowing one step of clock drift either way; null when it matches none. */
export function matchTotp(secret: string, code: string, nowMs = Date.now()): number | null {
  const step = currentStep(nowMs)
  for (const candidate of [step, step - 1, step + 1]) {
    if (totpCode(secret, candidate) === code.trim()) return candidate
  }
  return null
}
