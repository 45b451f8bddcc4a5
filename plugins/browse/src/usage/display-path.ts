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
export class PathDisplay {
  private cwdPathValue?: string

  constructor(private readonly resolver: PathResolver) {}

  private get cwdPath(): string {
    this.cwdPathValue ??= this.resolver.pathOf(this.resolver.cwd)
    return this.cwdPathValue
  }

  /** The path shown for a node whose absolute path is `absolutePath`, reached through the path `given`. */
  show(given: string, absolutePath: string): string {
    let base: string
    let lead = ''
    if (given.startsWith('/')) {
      base = ''
    } else if (given.startsWith('../') || given.startsWith('./')) {
      base = ''
      let at: MegaNode | undefined = this.resolver.cwd
      for (let rest = given; ;) {
        if (rest.startsWith('./')) return `${lead}./`
        if (!rest.startsWith('../')) break
        rest = rest.slice(3)
        lead += '../'
        at = at?.parent ? this.resolver.resolveOne(`H:${at.parent}`) : undefined
        if (at) base = this.resolver.pathOf(at)
      }
    } else {
      base = this.cwdPath === '/' ? '/' : `${this.cwdPath}/`
    }
    const nodePath = given === '' && absolutePath === this.cwdPath ? '.' : absolutePath
    // strstr(nodePath, base) found at the start: the part after the base, unless the path is the root itself.
    const shown = nodePath.startsWith(base) && nodePath !== '/' ? nodePath.slice(base.length) : nodePath
    return lead + shown
  }
}
