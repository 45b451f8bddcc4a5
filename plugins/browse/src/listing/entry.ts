import {type MegaNode, NodeType, type NodeStore} from '@mega-shell/core'

/** One listed node, as `ls --json` returns it. */
export interface ListEntry {
  name: string
  path: string
  handle: string
  type: 'file' | 'folder' | 'root' | 'inbox' | 'rubbish'
  size: number | null
  /** Content modification time for files, creation time for folders (unix seconds). */
  time: number
  /** Creation time on the server (unix seconds). */
  created: number
  exported: boolean
  /** Levels below the listed node: its children are 1; a file listed itself is 0. */
  depth: number
  /** A file's versions, itself included (MegaApi::getVersions); 0 for the others. */
  versions: number
}

const TYPE_NAMES: Record<number, ListEntry['type']> = {
  [NodeType.FILE]: 'file', [NodeType.FOLDER]: 'folder', [NodeType.ROOT]: 'root', [NodeType.INBOX]: 'inbox', [NodeType.RUBBISH]: 'rubbish',
}

/** The entry of `node`, whose path the lister knows (PathResolver.pathOf / pathUnder). */
export function toEntry(node: MegaNode, nodes: NodeStore, path: string, depth: number): ListEntry {
  return {
    name: node.name,
    path,
    handle: node.handle,
    type: TYPE_NAMES[node.type] ?? 'folder',
    size: node.type === NodeType.FILE ? node.size : null,
    time: node.type === NodeType.FILE ? (node.mtime ?? node.ts) : node.ts,
    created: node.ts,
    exported: node.link !== null,
    depth,
    versions: node.type === NodeType.FILE ? 1 + nodes.versionsOf(node.handle).length : 0,
  }
}
