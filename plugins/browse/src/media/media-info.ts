import {decodeMediaProperties, type MegaNode, NodeType, UNIDENTIFIED_MEDIA_FORMAT, UNKNOWN_MEDIA_FORMAT} from '@mega-shell/core'

/** What `mediainfo` shows of a node; null where MEGAcmd prints "---". */
export interface MediaInfo {
  width: number | null
  height: number | null
  fps: number | null
  /** Seconds. */
  playtime: number | null
}

/**
 * A node's media information as MEGAcmd's mediainfo reads it (megacmdexecuter.cpp printInfoFile, SDK
 * MegaNodePrivate::getWidth/getHeight/getDuration): the `fa` media attributes decoded with the file key
 * (crypto/media-attributes.ts); width, height and playtime count only when the short format is known (not 254 or
 * 255) and they are above 0; the playtime otherwise falls back to the file's `d` attribute; the fps is shown
 * whenever it is not 0.
 */
export function mediaInfo(node: MegaNode): MediaInfo {
  const file = node.type === NodeType.FILE
  const media = file ? decodeMediaProperties(node.fa, node.key) : undefined
  const known = media !== undefined && media.shortFormat !== UNKNOWN_MEDIA_FORMAT && media.shortFormat !== UNIDENTIFIED_MEDIA_FORMAT
  const positive = (value: number | undefined) => (known && value ? value : null)
  return {
    width: positive(media?.width),
    height: positive(media?.height),
    fps: media?.fps ? media.fps : null,
    playtime: positive(media?.playtime) ?? (file ? durationAttribute(node) : null),
  }
}

/** The `d` node attribute (a duration the SDK writes with Base64::itoa: base-64 digits, most significant first). */
function durationAttribute(node: MegaNode): number | null {
  const text = node.attrs.d
  if (typeof text !== 'string') return null
  const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let value = 0
  let valid = 0
  for (const char of text) {
    const digit = DIGITS.indexOf(char)
    if (digit < 0) continue
    value = value * 64 + digit
    valid++
  }
  return valid ? value : null
}
