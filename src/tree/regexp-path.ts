/**
 * Whether MEGAcmd takes a path argument as a pattern (megacmdutils.cpp isRegExp, as built with PCRE like
 * MEGAcmd's releases): with leading `./` and `../`, a trailing `/.` or `/..`, and every '/' dropped, the rest
 * holds a character pcrecpp::RE::QuoteMeta escapes, i.e. an ASCII character other than a letter, a digit or
 * '_'. So not only `*` and `?`: `my-dir`, `a.txt` or `with space` count too. Commands then word their messages
 * for a pattern: ls lists each match the way it lists wildcard matches, a folder under a `<path>: ` title, and says
 * `Couldn't find "<path>"` (quoted) when nothing matches; export says "Nodes not found: <path>".
 */
export function isRegExpPath(path: string): boolean {
  if (path === '.' || path === '..' || path === '/') return false
  let what = path
  for (;;) {
    // C++ find() == size - n: the first occurrence is the trailing one.
    if (what.startsWith('./')) what = what.slice(2)
    else if (what.startsWith('../')) what = what.slice(3)
    else if (what.length >= 3 && what.indexOf('/..') === what.length - 3) what = what.slice(0, -3)
    else if (what.length >= 2 && what.indexOf('/.') === what.length - 2) what = what.slice(0, -2)
    else break
  }
  what = what.split('/../').join('/').split('/./').join('/').split('/').join('')
  const quoted = what.replace(/[^\w\u0080-\u{10ffff}]/gu, '\\$&')
  // MEGAcmd then folds three backslashes into one before comparing.
  return quoted.split('\\\\\\').join('\\') !== what
}
