import {type ArgumentFailures, isRegExpPath, type MatchOptions, type MegaNode, NodeType, NotFoundError, type PathResolver, printable} from '@mega-shell/core'
import type {TreeLister} from './list-tree.js'
import {relativeBase} from './shown-path.js'

interface Listed {
  node: MegaNode
  /** The `<path>: ` title above a folder's listing, when it is listed as a match. */
  title?: string
  lines: string[]
}

/**
 * The lines of `ls <path…>` as MEGAcmd prints them (megacmdexecuter.cpp "ls"). A path it takes as a pattern
 * (regexp-path.ts) lists every match, each folder under a `<match>: ` title and followed by an empty line unless
 * it is the last match; any other path lists its one node without a title.
 *
 * MEGAcmd reads only its first path and ignores the others. We list them all, each as a pattern (titled), so
 * that the listings of several folders can be told apart; a path that names nothing is reported and the
 * others are still listed. With --tree, a path listed without a title is written above its tree, as MEGAcmd does.
 */
export function listPaths(paths: string[], resolver: PathResolver, lister: TreeLister, failures: ArgumentFailures, options: MatchOptions & {tree: boolean}): string[] {
  const cwdPath = () => resolver.pathOf(resolver.cwd)
  const listed: Listed[] = []
  for (const path of paths) {
    const pattern = isRegExpPath(path)
    const base = relativeBase(path, cwdPath)
    const matches = pattern || paths.length > 1 ? resolver.matches(path, options) : resolver.resolve(path).slice(0, 1).map((node) => ({node, path: undefined}))
    if (matches.length === 0) failures.add(new NotFoundError(pattern ? `Couldn't find "${path}"` : `Couldn't find ${path}`))
    for (const match of matches) {
      const title = match.path !== undefined && match.node.type !== NodeType.FILE ? `${printable(match.path)}: ` : undefined
      const lines = lister.list(match.node, base)
      listed.push({node: match.node, title, lines: match.path === undefined && options.tree ? [printable(path), ...lines] : lines})
    }
  }
  return listed.flatMap(({title, lines}, i) => {
    if (title === undefined) return lines
    return i < listed.length - 1 ? [title, ...lines, ''] : [title, ...lines]
  })
}
