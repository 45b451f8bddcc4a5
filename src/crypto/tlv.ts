import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'

/**
 * Private encrypted user attributes (`*` names): a TLV record list, encrypted under the master key
 * (mega-api.md §2.8; SDK tlv::containerToRecords / recordsToContainer). The container is one setting byte,
 * the IV, then ciphertext ‖ tag.
 */
export type TlvRecords = Record<string, Buffer>

interface Mode {cipher: 'aes-128-gcm' | 'aes-128-ccm'; ivLength: number; tagLength: number}

// 0x03 and 0x04 repeat 0x00 and 0x02 (a legacy SDK bug kept for old data, mega-api.md §2.8).
const MODES: Record<number, Mode> = {
  0x00: {cipher: 'aes-128-ccm', ivLength: 12, tagLength: 16},
  0x01: {cipher: 'aes-128-ccm', ivLength: 10, tagLength: 16},
  0x02: {cipher: 'aes-128-ccm', ivLength: 10, tagLength: 8},
  0x03: {cipher: 'aes-128-ccm', ivLength: 12, tagLength: 16},
  0x04: {cipher: 'aes-128-ccm', ivLength: 10, tagLength: 8},
  0x10: {cipher: 'aes-128-gcm', ivLength: 12, tagLength: 16},
  0x11: {cipher: 'aes-128-gcm', ivLength: 10, tagLength: 8},
}

/** The SDK's default setting for new containers: AES-GCM, 12-byte IV, 16-byte tag. */
const DEFAULT_SETTING = 0x10

/** Records → `name ‖ 0x00 ‖ length (2 bytes big-endian) ‖ value`, repeated. */
export function encodeTlv(records: TlvRecords): Buffer {
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(records)) {
    const length = Buffer.alloc(2)
    length.writeUInt16BE(Math.min(value.length, 0xffff))
    parts.push(Buffer.from(name, 'utf8'), Buffer.alloc(1), length, value)
  }
  return Buffer.concat(parts)
}

/** Returns null when the bytes are not a well-formed record list. */
export function decodeTlv(data: Uint8Array): TlvRecords | null {
  const records: TlvRecords = {}
  const bytes = Buffer.from(data)
  let pos = 0
  while (pos < bytes.length) {
    const nul = bytes.indexOf(0, pos)
    if (nul < 0 || nul + 3 > bytes.length) return null
    const name = bytes.subarray(pos, nul).toString('utf8')
    let length = bytes.readUInt16BE(nul + 1)
    const start = nul + 3
    // The SDK writes 0xFFFF for values that do not fit 16 bits: the value then runs to the end.
    if (length === 0xffff) length = bytes.length - start
    if (start + length > bytes.length) return null
    records[name] = bytes.subarray(start, start + length)
    pos = start + length
  }
  return records
}

export function encryptTlv(key: Uint8Array, records: TlvRecords): Buffer {
  const mode = MODES[DEFAULT_SETTING]
  const iv = randomBytes(mode.ivLength)
  const cipher = createCipheriv('aes-128-gcm', key, iv, {authTagLength: mode.tagLength})
  const ciphertext = Buffer.concat([cipher.update(encodeTlv(records)), cipher.final()])
  return Buffer.concat([Buffer.from([DEFAULT_SETTING]), iv, ciphertext, cipher.getAuthTag()])
}

/** Returns null when the setting is unknown, the key is wrong (the tag does not verify) or the records are malformed. */
export function decryptTlv(key: Uint8Array, container: Uint8Array): TlvRecords | null {
  const data = Buffer.from(container)
  const mode = MODES[data[0]]
  if (!mode || data.length < 1 + mode.ivLength + mode.tagLength) return null
  const iv = data.subarray(1, 1 + mode.ivLength)
  const ciphertext = data.subarray(1 + mode.ivLength, data.length - mode.tagLength)
  const tag = data.subarray(data.length - mode.tagLength)
  try {
    let plain: Buffer
    if (mode.cipher === 'aes-128-ccm') {
      // CCM needs the plaintext length before any data.
      const decipher = createDecipheriv('aes-128-ccm', key, iv, {authTagLength: mode.tagLength})
      decipher.setAuthTag(tag)
      decipher.setAAD(Buffer.alloc(0), {plaintextLength: ciphertext.length})
      plain = Buffer.concat([decipher.update(ciphertext), decipher.final()])
    } else {
      const decipher = createDecipheriv('aes-128-gcm', key, iv, {authTagLength: mode.tagLength})
      decipher.setAuthTag(tag)
      plain = Buffer.concat([decipher.update(ciphertext), decipher.final()])
    }
    return decodeTlv(plain)
  } catch {
    return null
  }
}
