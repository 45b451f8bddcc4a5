import type {NodeStore} from '../store/node-store.js'
import type {PathResolver} from '../tree/path-resolver.js'
import type {InShareRoot} from '../tree/in-shares.js'
import {type MegaNode, NodeType} from '../tree/node.js'

/** The part of the cached tree completion reads. */
export interface RemoteTree {
  /** The folder a literal path names (`/`, `a/b/`, `//bin/`, `user@mail:share/`); undefined when none. */
  folder(path: string): MegaNode | undefined
  children(folder: MegaNode): MegaNode[]
  inShares(): InShareRoot[]
}

/** MEGAcmd's roots besides `/` (megacmd-reference.md §4). */
const SPECIAL_ROOTS = ['//bin/', '//in/']

/**
 * The remote paths that complete `word`: folders end with `/`; `foldersOnly` for arguments that must be folders
 * (cd, share). From the cwd for a relative word; `//bin`, `//in` and the folders shared with the account
 * (`user@mail:share/`) at the start of a path.
 */
export function remoteCandidates(tree: RemoteTree, word: string, foldersOnly: boolean): string[] {
  const slash = word.lastIndexOf('/')
  if (word.startsWith('//') && slash < 2) return SPECIAL_ROOTS.filter((root) => root.startsWith(word))
  const shares = slash < 0 && word.includes('@')
    ? tree.inShares().filter((share) => share.top).map((share) => `${share.email}:${share.node.name}/`).filter((path) => path.startsWith(word))
    : []
  const base = word.slice(0, slash + 1)
  const partial = word.slice(slash + 1)
  const folder = tree.folder(base || '.')
  if (!folder || folder.type === NodeType.FILE) return shares
  const names = tree.children(folder)
    .filter((child) => child.name.startsWith(partial) && (!foldersOnly || child.type !== NodeType.FILE))
    .map((child) => base + child.name + (child.type === NodeType.FILE ? '' : '/'))
  return [...shares, ...names]
}

/** The tree of a command's cache, as its PathResolver reads it (cwd, `//bin`, in-shares). */
export function cachedRemoteTree(resolver: PathResolver, nodes: NodeStore, inShares: () => InShareRoot[]): RemoteTree {
  return {
    folder(path) {
      try {
        return resolver.resolveOne(path)
      } catch {
        // A cwd deleted elsewhere: nothing relative to complete.
        return undefined
      }
    },
    children: (folder) => nodes.children(folder.handle),
    inShares,
  }
}
