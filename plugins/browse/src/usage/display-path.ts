import {type MegaNode, type PathResolver} from '@mega-shell/core'

/**
 * How MEGAcmd shows the path of a node that a given path led to (megacmdexecuter.cpp getDisplayPath, used by du,
 * find and export), quirks included, so that scripts reading its output see the same text:
 * - a path starting with '/' shows the node's absolute path;
 * - one starting with './' shows just "./" (preceded by a "../" per leading "../"): MEGAcmd returns from inside its
 *   loop there;
 * - one starting with '../' shows "../" per step, then the node's path without the path of the folder reached
 *   (without a '/' between them: `../a.txt` from /docs/deep shows "..//a.txt");
 * - any other shows the path relative to the cwd (the cwd's own path "." when the given path is empty), or the
 *   absolute path when the node is not below the cwd.
 */
export function displayPath(given: string, node: MegaNode, resolver: PathResolver): string {
  let nodePath = resolver.pathOf(node)
  const cwdPath = resolver.pathOf(resolver.cwd)
  let base: string
  let lead = ''
  if (given.startsWith('/')) {
    base = ''
  } else if (given.startsWith('../') || given.startsWith('./')) {
    base = ''
    let at: MegaNode | undefined = resolver.cwd
    for (let rest = given; ;) {
      if (rest.startsWith('./')) return `${lead}./`
      if (!rest.startsWith('../')) break
      rest = rest.slice(3)
      lead += '../'
      at = at?.parent ? resolver.resolveOne(`H:${at.parent}`) : undefined
      if (at) base = resolver.pathOf(at)
    }
  } else {
    base = cwdPath === '/' ? '/' : `${cwdPath}/`
  }
  if (given === '' && nodePath === cwdPath) nodePath = '.'
  // strstr(nodePath, base) found at the start: the part after the base, unless the path is the root itself.
  const shown = nodePath.startsWith(base) && nodePath !== '/' ? nodePath.slice(base.length) : nodePath
  return lead + shown
}
