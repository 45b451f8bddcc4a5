import {b64decode, b64encode} from './base64.js'

/**
 * The media properties a client stores in a file's `fa` string (mega-api.md §4.8): file attribute type 8
 * ("MediaInfo": width, height, fps, playtime, a short format id) and, when the short format is 0, type 9
 * (container and codec ids). Each value is 8 bytes encrypted with XXTEA under the file's attribute key and
 * written `<type>*<11 base64 chars>`. This follows the SDK's MediaProperties (src/mediafileattribute.cpp,
 * encodeMediaPropertiesAttributes / decodeMediaPropertiesAttributes) bit for bit, including its lossy packing of
 * large values.
 */
export interface MediaProperties {
  /** 0: see the container/codec ids; 254: no information (UNKNOWN_FORMAT); 255: not identified. */
  shortFormat: number
  width: number
  height: number
  fps: number
  /** Seconds. */
  playtime: number
  containerId: number
  videoCodecId: number
  audioCodecId: number
}

/** MediaProperties::UNKNOWN_FORMAT and NOT_IDENTIFIED_FORMAT: the values say nothing. */
export const UNKNOWN_MEDIA_FORMAT = 254
export const UNIDENTIFIED_MEDIA_FORMAT = 255

const FA_MEDIA = 8
const FA_MEDIA_EXT = 9

const NONE: MediaProperties = {shortFormat: UNKNOWN_MEDIA_FORMAT, width: 0, height: 0, fps: 0, playtime: 0, containerId: 0, videoCodecId: 0, audioCodecId: 0}

/**
 * The media properties in a file's `fa` string, read as the SDK does: the value after the first ":8*" (so only
 * entries with their numeric cluster prefix count, as stored by the server); the SDK's defaults (short format 254,
 * zeros) when there is none or the node key is not a 32-byte file key.
 */
export function decodeMediaProperties(fa: string | null, nodeKey: Uint8Array | null): MediaProperties {
  const media = fa && nodeKey?.length === 32 ? attributeValue(fa, FA_MEDIA) : undefined
  if (!media) return {...NONE}
  const key = attributeKey(nodeKey!)
  const v = xxtea(media, key, false)
  let width = (v[0] >> 1) + ((v[1] & 127) << 7)
  if (v[0] & 1) width = (width << 3) + 16384
  let height = v[2] + ((v[3] & 63) << 8)
  if (v[1] & 128) height = (height << 3) + 16384
  let fps = (v[3] >> 7) + ((v[4] & 63) << 1)
  if (v[3] & 64) fps = (fps << 3) + 128
  let playtime = (v[4] >> 7) + (v[5] << 1) + (v[6] << 9)
  if (v[4] & 64) playtime = playtime * 60 + 131100
  const properties: MediaProperties = {...NONE, shortFormat: v[7], width, height, fps, playtime}
  const extended = properties.shortFormat === 0 ? attributeValue(fa!, FA_MEDIA_EXT) : undefined
  if (extended) {
    const e = xxtea(extended, key, false)
    properties.containerId = e[0]
    properties.videoCodecId = e[1] + ((e[2] & 15) << 8)
    properties.audioCodecId = (e[2] >> 4) + (e[3] << 4)
  }
  return properties
}

/**
 * The `fa` entries for media properties, as a client attaches them (`pfa`, or `fa` of `p`): "8*…", plus "/9*…"
 * when the short format is 0 (SDK encodeMediaPropertiesAttributes).
 */
export function encodeMediaProperties(properties: MediaProperties, nodeKey: Uint8Array): string {
  let width = properties.width << 1
  if (width >= 32768) width = ((width - 32768) >> 3) | 1
  if (width >= 32768) width = 32767
  let height = properties.height << 1
  if (height >= 32768) height = ((height - 32768) >> 3) | 1
  if (height >= 32768) height = 32767
  let playtime = properties.playtime << 1
  if (playtime >= 262144) playtime = Math.floor((playtime - 262200) / 60) | 1
  if (playtime >= 262144) playtime = 262143
  let fps = properties.fps << 1
  if (fps >= 256) fps = ((fps - 256) >> 3) | 1
  if (fps >= 256) fps = 255
  const v = Buffer.from([
    width & 255, ((width >> 8) & 127) + ((height & 1) << 7), (height >> 1) & 255, ((fps & 3) << 6) + ((height >> 9) & 63),
    ((playtime & 3) << 6) + (fps >> 2), (playtime >> 2) & 255, (playtime >> 10) & 255, properties.shortFormat,
  ])
  const key = attributeKey(nodeKey)
  let entries = `${FA_MEDIA}*${b64encode(xxtea(v, key, true))}`
  if (properties.shortFormat === 0) {
    const e = Buffer.from([
      properties.containerId & 255, properties.videoCodecId & 255,
      ((properties.videoCodecId >> 8) & 15) + ((properties.audioCodecId & 15) << 4), (properties.audioCodecId >> 4) & 255, 0, 0, 0, 0,
    ])
    entries += `/${FA_MEDIA_EXT}*${b64encode(xxtea(e, key, true))}`
  }
  return entries
}

/** The 11 base64 characters after ":<type>*" (Node::hasfileattribute), decoded; undefined when missing or short. */
function attributeValue(fa: string, type: number): Buffer | undefined {
  const marker = `:${type}*`
  const at = fa.indexOf(marker)
  if (at < 0) return undefined
  const value = fa.slice(at + marker.length, at + marker.length + 11)
  if (value.length !== 11) return undefined
  const bytes = b64decode(value)
  return bytes.length === 8 ? bytes : undefined
}

/**
 * The XXTEA key: the last 16 bytes of the 32-byte file key (nonce and condensed MAC) as four 32-bit words. The SDK
 * reads them in memory order on a little-endian machine and then swaps each word's bytes "to match webclient", so
 * they are big-endian words of the key bytes; the data words stay little-endian (xxteaEncrypt/xxteaDecrypt).
 */
function attributeKey(nodeKey: Uint8Array): Uint32Array {
  const bytes = Buffer.from(nodeKey.buffer, nodeKey.byteOffset, nodeKey.byteLength)
  return Uint32Array.from([0, 1, 2, 3], (i) => bytes.readUInt32BE(16 + 4 * i))
}

const DELTA = 0x9e3779b9

function mx(sum: number, y: number, z: number, p: number, e: number, key: Uint32Array): number {
  return ((((z >>> 5) ^ (y << 2)) + ((y >>> 3) ^ (z << 4))) ^ ((sum ^ y) + (key[(p & 3) ^ e] ^ z))) >>> 0
}

/** XXTEA of a buffer of little-endian 32-bit words (the SDK reads the 8 bytes as words in memory order). */
function xxtea(data: Buffer, key: Uint32Array, encrypt: boolean): Buffer {
  const words = Uint32Array.from({length: data.length / 4}, (_, i) => data.readUInt32LE(4 * i))
  xxteaWords(words, key, encrypt)
  const out = Buffer.alloc(data.length)
  words.forEach((word, i) => out.writeUInt32LE(word, 4 * i))
  return out
}

/** XXTEA (Corrected Block TEA) in place, as the SDK's xxteaEncrypt/xxteaDecrypt once the key words are swapped. */
export function xxteaWords(v: Uint32Array, key: Uint32Array, encrypt: boolean): void {
  const last = v.length - 1
  const rounds = 6 + Math.floor(52 / v.length)
  if (encrypt) {
    let z = v[last]
    let sum = 0
    for (let q = rounds; q > 0; q--) {
      sum = (sum + DELTA) >>> 0
      const e = (sum >>> 2) & 3
      for (let p = 0; p < last; p++) z = v[p] = (v[p] + mx(sum, v[p + 1], z, p, e, key)) >>> 0
      z = v[last] = (v[last] + mx(sum, v[0], z, last, e, key)) >>> 0
    }
    return
  }
  let y = v[0]
  for (let sum = Math.imul(rounds, DELTA) >>> 0; sum !== 0; sum = (sum - DELTA) >>> 0) {
    const e = (sum >>> 2) & 3
    for (let p = last; p > 0; p--) y = v[p] = (v[p] - mx(sum, y, v[p - 1], p, e, key)) >>> 0
    y = v[0] = (v[0] - mx(sum, y, v[last], 0, e, key)) >>> 0
  }
}
