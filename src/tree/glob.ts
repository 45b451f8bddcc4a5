/**
 * MEGAcmd's per-component wildcards: `*` any run of characters, `?` one character, matched against whole
 * names (megacmd-reference.md §4 "Patterns").
 */
export function hasWildcard(component: string): boolean {
  return /[*?]/.test(component)
}

export function wildcardToRegExp(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's')
}
