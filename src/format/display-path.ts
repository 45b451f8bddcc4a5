import type {NodeStore} from '../store/node-store.js'
import type {MegaNode} from '../tree/node.js'
import type {PathResolver} from '../tree/path-resolver.js'

/** The remote working directory as MEGAcmd's path display needs it. */
export interface DisplayCwd {
  /** Its absolute path. */
  path: string
  /** The path of its ancestor `levels` up (1: its parent); undefined above the root. */
  ancestorPath(levels: number): string | undefined
}

/**
 * How MEGAcmd shows a node found from a path argument in `share`, `export` and `users -s` listings
 * (megacmdexecuter.cpp MegaCmdExecuter::getDisplayPath), quirks included:
 *  - an argument starting with '/' shows the node's absolute path;
 *  - one starting with './' shows just "./" (the function returns early there);
 *  - one starting with '../' shows "../" once per step up, then the node's path after that ancestor's;
 *  - any other shows the path relative to the cwd when it lies below it ("." for the cwd itself when the
 *    argument is empty), else the absolute path.
 * "After X" means X's path, plus '/', is found at the start of the node's path (MEGAcmd strstr()).
 */
export function displayPath(given: string, nodePath: string, cwd: DisplayCwd): string {
  let prefix = ''
  let base: string
  let rest = given
  if (given.startsWith('/')) {
    base = ''
  } else if (given.startsWith('./')) {
    return './'
  } else if (given.startsWith('../')) {
    base = ''
    for (let levels = 1; rest.startsWith('../'); levels++) {
      rest = rest.slice(3)
      prefix += '../'
      base = cwd.ancestorPath(levels) ?? base
      if (rest.startsWith('./')) return prefix + './'
    }
  } else {
    base = cwd.path === '/' ? '/' : `${cwd.path}/`
  }
  const shown = rest === '' && nodePath === cwd.path ? '.' : nodePath
  if (base !== '' && shown.startsWith(base) && shown !== '/') return prefix + shown.slice(base.length)
  return prefix + shown
}

/** The resolver's cwd for displayPath(). */
export function displayCwd(resolver: PathResolver, nodes: NodeStore): DisplayCwd {
  const cwd = resolver.cwd
  return {
    path: resolver.pathOf(cwd),
    ancestorPath(levels) {
      let node: MegaNode | undefined = cwd
      for (let i = 0; i < levels && node; i++) node = node.parent ? nodes.get(node.parent) : undefined
      return node && resolver.pathOf(node)
    },
  }
}
