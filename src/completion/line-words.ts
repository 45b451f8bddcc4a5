/**
 * Splits a command line into words the way MEGAcmd's shell does (megacmdcommonutils.cpp getlistOfWords): blanks
 * separate words, `"…"` and `'…'` keep blanks inside a word. Unlike MEGAcmd, a backslash outside quotes escapes
 * the next character and is dropped (`My\ folder` is `My folder`, as bash reads it), so that what tab completion
 * inserts (completion-text.ts) reads back as the name it completed.
 */
export interface LineWord {
  /** The word as the command sees it: quotes and escapes removed. */
  value: string
  /** The word as typed, from `start` to the end of the word. */
  raw: string
  start: number
  /** The quote still open at the end of the line, when the last word is unterminated (`"My fo`). */
  openQuote?: '"' | "'"
}

export function splitLine(line: string): LineWord[] {
  const words: LineWord[] = []
  let i = 0
  for (;;) {
    while (i < line.length && isBlank(line[i])) i++
    if (i >= line.length) return words
    const start = i
    let value = ''
    let openQuote: '"' | "'" | undefined
    while (i < line.length && !isBlank(line[i])) {
      const char = line[i]
      if (char === '"' || char === "'") {
        const close = line.indexOf(char, i + 1)
        if (close < 0) {
          value += line.slice(i + 1)
          openQuote = char
          i = line.length
          break
        }
        value += line.slice(i + 1, close)
        i = close + 1
      } else if (char === '\\' && i + 1 < line.length) {
        value += line[i + 1]
        i += 2
      } else {
        value += char
        i++
      }
    }
    words.push({value, raw: line.slice(start, i), start, openQuote})
  }
}

/**
 * The words of the line up to the cursor, the last being the one to complete: an empty one when the line ends
 * with a blank (a new word is starting).
 */
export function wordsToComplete(line: string): LineWord[] {
  const words = splitLine(line)
  const last = words.at(-1)
  if (!last || (!last.openQuote && isBlank(line.at(-1) ?? ''))) words.push({value: '', raw: '', start: line.length})
  return words
}

function isBlank(char: string): boolean {
  return char === ' ' || char === '\t'
}
