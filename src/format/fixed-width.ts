/**
 * MEGAcmd's getFixLengthString (megacmdcommonutils.cpp): pads `text` to `width` characters (on the left when
 * `alignRight`), or shortens a longer text in the middle with "...".
 */
export function fixLengthString(text: string, width: number, alignRight = false): string {
  const chars = [...text]
  if (chars.length <= width) return alignRight ? text.padStart(width + text.length - chars.length) : text.padEnd(width + text.length - chars.length)
  const head = Math.max(0, Math.floor((width + 1) / 2) - 2)
  const tail = Math.max(0, Math.floor(width / 2) - 1)
  return chars.slice(0, head).join('') + (width > 3 ? '...' : '') + (width > 1 ? chars.slice(chars.length - tail).join('') : '')
}
