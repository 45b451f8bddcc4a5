import {Buffer} from 'node:buffer'

/**
 * One line of a `.megaignore` file, parsed as MEGA's SDK does (src/syncfilter.cpp, FilterChain::load and the two
 * static `add` functions; SDK commit 68c846ea).
 */

/** What an entry on either side of a sync is, as far as filters care (the SDK's FILENODE/FOLDERNODE/TYPE_SYMLINK). */
export type NodeKind = 'file' | 'folder' | 'symlink'

/** `a`/none, `d`, `f`, `s`: the SDK's AllTarget, DirectoryTarget, FileTarget, SymlinkTarget. */
export type FilterTarget = 'all' | NodeKind

/**
 * `N` is a name filter that is not inheritable (only entries directly in the folder holding the file), `n` an
 * inheritable one, `p` matches the path relative to that folder.
 */
export type FilterType = 'local-name' | 'name' | 'path'

export type FilterStrategy = 'glob' | 'regexp'

/** A `-`/`+` line: the SDK's NameFilter/PathFilter with its Matcher. */
export interface PatternFilter {
  readonly kind: 'pattern'
  readonly inclusion: boolean
  readonly target: FilterTarget
  readonly type: FilterType
  readonly strategy: FilterStrategy
  readonly caseSensitive: boolean
  readonly pattern: string
  /** Takes the entry's name, or for `path` filters its `/`-separated path relative to the sync root. */
  readonly matches: (subject: string) => boolean
}

/** `exclude-larger:<n>[kmgt]` / `exclude-smaller:<n>[kmgt]`: one bound of the SDK's single SizeFilter. */
export interface SizeLimitFilter {
  readonly kind: 'size'
  readonly bound: 'larger' | 'smaller'
  /** Bytes; bigint because the SDK parses a uint64. */
  readonly limit: bigint
}

/** `+sync:.megaignore` / `-sync:.megaignore`: whether the ignore file itself is synced (mSyncThisMegaignore). */
export interface SyncIgnoreFileFilter {
  readonly kind: 'sync-ignore-file'
  readonly sync: boolean
}

export type Filter = PatternFilter | SizeLimitFilter | SyncIgnoreFileFilter

export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError'

  constructor(readonly line: string, readonly reason: string, readonly lineNumber?: number) {
    super(lineNumber === undefined ? `Invalid filter: "${line}"` : `Invalid filter on line ${lineNumber}: "${line}"`)
  }
}

/** C's isspace in the "C" locale, which the SDK's is_space (src/utils.cpp) calls. */
const BLANK_LINE = /^[ \t\n\v\f\r]*$/
const TRAILING_SPACE = /[ \t\n\v\f\r]+$/

/**
 * MEGAcmd's check for `sync-ignore --add` (MegaIgnoreFile::isValidFilter in src/sync_ignore.cpp), stricter than the
 * SDK: no spaces in the pattern, no size or `sync:` lines. `\S` there is a byte test in the C locale, hence the class.
 */
export function isValidFilter(text: string): boolean {
  return /^[-+][adfs]?[Nnp]?[GgRr]?:[^ \t\n\v\f\r]+$/.test(text)
}

/** Null for what FilterChain::load skips: blank lines (readLines drops them) and lines starting with `#`. */
export function parseFilterLine(line: string): Filter | null {
  // FilterChain::load normalises each line (LocalPath::utf8_normalize, NFC) before looking at it.
  const text = line.normalize('NFC')
  if (BLANK_LINE.test(text) || text.startsWith('#')) return null
  // Any line starting with `e` is a size filter or a syntax error: there is no `e` class.
  return text.startsWith('e') ? parseSizeLine(text, line) : parsePatternLine(text, line)
}

const TARGETS: Readonly<Record<string, FilterTarget>> = {a: 'all', d: 'folder', f: 'file', s: 'symlink'}
const TYPES: Readonly<Record<string, FilterType>> = {N: 'local-name', n: 'name', p: 'path'}
const STRATEGIES: Readonly<Record<string, [FilterStrategy, boolean]>> = {G: ['glob', true], g: ['glob', false], R: ['regexp', true], r: ['regexp', false]}

/** add(text, StringFilterPtrVector&, bool&) in src/syncfilter.cpp: every letter is optional, in this order. */
function parsePatternLine(text: string, line: string): Filter {
  if (text[0] !== '-' && text[0] !== '+') throw new InvalidFilterError(line, 'a filter starts with "-" or "+"')
  const inclusion = text[0] === '+'
  // Compared exactly (strcmp), so even a trailing space makes it an ordinary, and then malformed, filter.
  if (text.slice(1) === 'sync:.megaignore') return {kind: 'sync-ignore-file', sync: inclusion}
  let at = 1
  const letter = (table: Readonly<Record<string, unknown>>): string | undefined => {
    const c = text[at]
    if (c === undefined || !Object.hasOwn(table, c)) return undefined
    at++
    return c
  }
  const targetLetter = letter(TARGETS)
  const typeLetter = letter(TYPES)
  const strategyLetter = letter(STRATEGIES)
  if (text[at] !== ':') throw new InvalidFilterError(line, 'expected "<CLASS><TARGET><TYPE><STRATEGY>:<PATTERN>"')
  const rest = text.slice(at + 1)
  // Without a type letter a pattern holding `/` is a path filter (FT_DEFAULT_BY_CONTENT): `-:Documents/MEGAsync`.
  const type = typeLetter === undefined ? (rest.includes('/') ? 'path' : 'name') : TYPES[typeLetter]!
  // Default strategy is the case-insensitive glob, whatever MEGAcmd's help says about `G`.
  const [strategy, caseSensitive] = strategyLetter === undefined ? ['glob', false] as const : STRATEGIES[strategyLetter]!
  // Trailing white space is dropped; an empty pattern is accepted (the SDK's `m > n` test can never fire) and matches
  // nothing, as no name is empty.
  const pattern = rest.replace(TRAILING_SPACE, '')
  let matches: (subject: string) => boolean
  try {
    matches = strategy === 'glob' ? globMatcher(pattern, caseSensitive) : regexMatcher(pattern, caseSensitive)
  } catch (error) {
    throw new InvalidFilterError(line, `bad regular expression: ${(error as Error).message}`)
  }
  return {kind: 'pattern', inclusion, target: targetLetter === undefined ? 'all' : TARGETS[targetLetter]!, type, strategy, caseSensitive, pattern, matches}
}

const SIZE_SHIFTS: Readonly<Record<string, bigint>> = {k: 10n, m: 20n, g: 30n, t: 40n}
const UINT64_MAX = (1n << 64n) - 1n

/**
 * add(text, SizeFilterPtr&) in src/syncfilter.cpp, an istream parse: `exclude-larger:` or `exclude-smaller:`, optional
 * white space, digits, then optionally one unit letter (binary multiples) followed only by white space. White space
 * after a bare number is an error there (it is read as a bad unit), so it is here too.
 */
function parseSizeLine(text: string, line: string): Filter {
  const match = /^(exclude-larger|exclude-smaller):[ \t\n\v\f\r]*([0-9]+)(?:([^])[ \t\n\v\f\r]*)?$/.exec(text)
  const unit = match?.[3]?.toLowerCase()
  if (!match || (unit !== undefined && !Object.hasOwn(SIZE_SHIFTS, unit))) {
    throw new InvalidFilterError(line, 'expected "exclude-larger:<size>[k|m|g|t]" or "exclude-smaller:<size>[k|m|g|t]"')
  }
  const limit = BigInt(match[2]!) << (unit === undefined ? 0n : SIZE_SHIFTS[unit]!)
  if (limit > UINT64_MAX) throw new InvalidFilterError(line, 'size limit too large')
  return {kind: 'size', bound: match[1] === 'exclude-larger' ? 'larger' : 'smaller', limit}
}

/**
 * GlobMatcher: only `*` (any run, `/` included, so `-p:docs/*` reaches every depth) and `?` (one byte); `[` is an
 * ordinary character. Insensitive matching upper-cases ASCII letters only (toUpper with std::toupper).
 */
function globMatcher(pattern: string, caseSensitive: boolean): (subject: string) => boolean {
  const bytes = (s: string) => Buffer.from(caseSensitive ? s : s.replace(/[a-z]+/g, (m) => m.toUpperCase()), 'utf8')
  const compiled = bytes(pattern)
  return (subject) => wildcardMatch(bytes(subject), compiled)
}

const STAR = 0x2a
const QUESTION = 0x3f

/** Port of wildcardMatch(const char*, const char*) in src/utils.cpp: on UTF-8 bytes, with one-star backtracking. */
function wildcardMatch(text: Uint8Array, pattern: Uint8Array): boolean {
  let s = 0
  let p = 0
  while (s < text.length && pattern[p] !== STAR) {
    if (p >= pattern.length || (pattern[p] !== text[s] && pattern[p] !== QUESTION)) return false
    p++
    s++
  }
  let mp = 0
  let cp = 0
  while (s < text.length) {
    if (pattern[p] === STAR) {
      if (++p === pattern.length) return true
      mp = p
      cp = s + 1
    } else if (p < pattern.length && (pattern[p] === text[s] || pattern[p] === QUESTION)) {
      p++
      s++
    } else {
      p = mp
      s = cp++
    }
  }
  while (pattern[p] === STAR) p++
  return p === pattern.length
}

/**
 * RegexMatcher: std::regex with `extended` (POSIX ERE) and std::regex_match, so the whole name or path must match.
 * JS runs on UTF-16 code units where the SDK runs on UTF-8 bytes, which only differs for `.` and brackets against
 * non-ASCII characters.
 */
function regexMatcher(pattern: string, caseSensitive: boolean): (subject: string) => boolean {
  const regex = new RegExp(`^(?:${ereToJs(pattern)})$`, caseSensitive ? 's' : 'si')
  return (subject) => regex.test(subject)
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z', xdigit: '0-9A-Fa-f',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f',
  // libstdc++'s regex_traits::lookup_classname also knows these short names.
  d: '0-9', w: '0-9a-zA-Z_', s: ' \\t\\n\\r\\f\\v',
}

const literal = (c: string, special: RegExp) => (special.test(c) ? `\\${c}` : c)
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/-]/
const BRACKET_SPECIAL = /[\\\]\[^-]/

/**
 * POSIX ERE → JS source, following libstdc++'s scanner in `extended` mode: `\c` is always the literal `c` (no `\d`,
 * no back-references), `(?` is a repeat of nothing, and in brackets `\` is literal, a leading `]` is literal and
 * `[:class:]`, `[.c.]`, `[=c=]` are understood. Anything JS still rejects (bad repeats, unbalanced parentheses)
 * throws, as std::regex does.
 */
function ereToJs(source: string): string {
  let out = ''
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if (c === '\\') {
      const next = source[++i]
      if (next === undefined) throw new Error('trailing backslash')
      out += literal(next, JS_SPECIAL)
    } else if (c === '(' && source[i + 1] === '?') {
      throw new Error('nothing to repeat after "("')
    } else if (c === '[') {
      const [js, end] = bracketToJs(source, i)
      out += js
      i = end
    } else {
      out += c
    }
  }
  return out
}

/** A bracket expression starting at `start`; returns its JS form and the index of its closing `]`. */
function bracketToJs(source: string, start: number): [string, number] {
  let i = start + 1
  let out = '['
  if (source[i] === '^') {
    out += '^'
    i++
  }
  // One element: a POSIX class (kept as JS ranges) or a single character.
  const element = (): {char?: string, cls?: string} => {
    const c = source[i]
    if (c === undefined) throw new Error('unterminated bracket expression')
    const delimiter = source[i + 1]
    if (c === '[' && (delimiter === ':' || delimiter === '.' || delimiter === '=')) {
      const close = source.indexOf(`${delimiter}]`, i + 2)
      if (close < 0) throw new Error('unterminated bracket expression')
      const name = source.slice(i + 2, close)
      i = close + 2
      if (delimiter === ':') {
        if (!Object.hasOwn(POSIX_CLASSES, name)) throw new Error(`unknown character class [:${name}:]`)
        return {cls: POSIX_CLASSES[name]!}
      }
      if ([...name].length !== 1) throw new Error(`unknown collating element ${name}`)
      return {char: name}
    }
    i++
    return {char: c}
  }
  for (let first = true; ; first = false) {
    if (source[i] === ']' && !first) return [`${out}]`, i]
    const from = element()
    if (from.cls !== undefined) {
      out += from.cls
      continue
    }
    out += literal(from.char!, BRACKET_SPECIAL)
    if (source[i] === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
      i++
      const to = element()
      if (to.char === undefined) throw new Error('character class as a range end')
      out += `-${literal(to.char, BRACKET_SPECIAL)}`
    }
  }
}
