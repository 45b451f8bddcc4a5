/**
 * How a candidate is written back into a command line: inside the quote the word opened with, or with the
 * characters the shell's splitting (line-words.ts) and bash treat specially escaped by a backslash.
 */
const SPECIAL = /[\s"'\\$`!;&|<>()*?[\]{}#~]/g

export function escapeWord(value: string): string {
  return value.replace(SPECIAL, (char) => `\\${char}`)
}

/** The text that replaces the typed word: `openQuote` is the quote that word opened and did not close. */
export function candidateText(candidate: string, openQuote?: '"' | "'"): string {
  if (!openQuote) return escapeWord(candidate)
  // A folder stays open (more to type after its '/'); anything else is finished, so its quote is closed.
  return candidate.endsWith('/') ? `${openQuote}${candidate}` : `${openQuote}${candidate}${openQuote}`
}
