/**
 * The longest file name most local file systems take (NAME_MAX: ext4, btrfs, xfs, apfs; NTFS counts 255 UTF-16
 * units, which 255 UTF-8 bytes never exceed). Longer names fail with ENAMETOOLONG.
 */
export const NAME_MAX = 255

export function utf8Length(text: string): number {
  return Buffer.byteLength(text)
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, cut between characters, never inside one. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text
  let out = ''
  let bytes = 0
  for (const char of text) {
    const size = utf8Length(char)
    if (bytes + size > maxBytes) break
    out += char
    bytes += size
  }
  return out
}
