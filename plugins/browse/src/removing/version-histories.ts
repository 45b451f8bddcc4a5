import {type MegaNode, NodeType, type NodeStore, printable} from '@mega-shell/core'

/**
 * What `deleteversions <path>` does with one node it names, as MEGAcmd's deleteNodeVersions
 * (megacmdexecuter.cpp): a file without versions has nothing to ask ("No versions found for <name>" unless -f);
 * a file with versions asks "Are you sure todelete the version histories of <name>? (Yes/No): "; a folder asks
 * "… of files within <name>? (Yes/No): " and then takes the versions of every file below it without asking.
 * (MEGAcmd's own spelling "todelete" is kept: scripts may wait for it.)
 */
export interface VersionHistory {
  node: MegaNode
  /** Undefined for a file without versions: nothing to ask, nothing to delete. */
  question: string | undefined
  /** The old versions to delete, newest first per file. */
  versions: MegaNode[]
}

export function versionHistory(node: MegaNode, store: NodeStore): VersionHistory {
  if (node.type === NodeType.FILE) {
    const versions = store.versionsOf(node.handle)
    return {node, versions, question: versions.length > 0 ? `Are you sure todelete the version histories of ${printable(node.name)}? (Yes/No): ` : undefined}
  }
  return {node, versions: versionsBelow(node, store), question: `Are you sure todelete the version histories of files within ${printable(node.name)}? (Yes/No): `}
}

/** The old versions of every file under a folder, in listing order, depth first. */
function versionsBelow(folder: MegaNode, store: NodeStore): MegaNode[] {
  return store.children(folder.handle).flatMap((child) => (child.type === NodeType.FILE ? store.versionsOf(child.handle) : versionsBelow(child, store)))
}
