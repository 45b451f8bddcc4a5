/**
 * MEGA's base64: URL alphabet, no padding (mega-api.md "Conventions").
 * Decoding also accepts the standard alphabet, as megatools and go-mega do.
 */
export function b64encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url')
}

export function b64decode(text: string): Buffer {
  return Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url')
}

/** True when `text` only uses the URL-safe base64 alphabet (no padding). */
export function isB64(text: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(text)
}
