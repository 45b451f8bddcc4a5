import {hasWildcard, wildcardToRegExp} from './glob.js'

/** Whether a name matches a pattern. */
export type NameMatcher = (name: string) => boolean

/**
 * A pattern matched against whole names, as MEGAcmd's patternMatches does (megacmdutils.cpp): `*`/`?` wildcards,
 * or with `--use-pcre` a Perl regular expression that must match the whole name (pcrecpp FullMatch). A regular
 * expression that does not compile is tried again with `*` turned into `.*` and `?` into `.` (for wildcards given
 * with --use-pcre); if that fails too, nothing matches (MEGAcmd logs "Invalid PCRE regex" and matches nothing).
 * JavaScript regular expressions stand in for PCRE: the usual syntax is the same; PCRE-only constructs such as
 * possessive quantifiers or `\z` do not compile and end in the fallback.
 */
export function nameMatcher(pattern: string, pcre: boolean): NameMatcher {
  if (!pcre) {
    if (!hasWildcard(pattern)) return (name) => name === pattern
    const wildcard = wildcardToRegExp(pattern)
    return (name) => wildcard.test(name)
  }
  const regexp = wholeName(pattern) ?? wholeName(pattern.replace(/\*/g, '.*').replace(/\?/g, '.'))
  return regexp ? (name) => regexp.test(name) : () => false
}

/** Whether a pattern can match only the name it spells (no wildcard, or no regular expression syntax). */
export function isLiteralPattern(pattern: string, pcre: boolean): boolean {
  return pcre ? !/[\\^$.|?*+()[\]{}]/.test(pattern) : !hasWildcard(pattern)
}

function wholeName(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`)
  } catch {
    return undefined
  }
}
