/**
 * The names a MEGAcmd wildcard (`*` any run, `?` one character, everything else literal) can match, as a range of the
 * `nodes_by_name` index: all of them when it has none (equality), else those starting with its literal start. A
 * wildcard that starts with `*` or `?` has no range: find scans the subtree instead. GLOB compares code points
 * case-sensitively, as SQLite's default BINARY collation of the index orders UTF-8 bytes (the same order), so the
 * range holds every name the GLOB can accept.
 */
export type NameRange = {equals: string} | {from: string; below: string | undefined}

export function nameRange(wildcard: string): NameRange | undefined {
  const literal = /^[^*?]*/.exec(wildcard)![0]
  if (literal === wildcard) return {equals: wildcard}
  if (literal === '') return undefined
  return {from: literal, below: followingPrefix(literal)}
}

/** The least string above every string that starts with `prefix`: its last character's next code point. */
function followingPrefix(prefix: string): string | undefined {
  const characters = [...prefix]
  const last = characters.pop()!.codePointAt(0)!
  if (last === 0x10ffff) return undefined
  // UTF-8 has no surrogates: after U+D7FF comes U+E000.
  return characters.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1)
}
