import {type MegaContext, type MegaNode, NodeType} from '@mega-shell/core'

/**
 * The part of the account one served location exposes, by WebDAV path. A location is served at `/<handle>/<name>`
 * (MEGAcmd's URL, megacmd-reference.md §7.5); within it, paths are names below that node. The tree is read from the
 * server's cache, which the live feed keeps current, so a change made by any client shows at the next request.
 */
export class ServedTree {
  constructor(private readonly mega: () => MegaContext | undefined, readonly handle: string) {}

  /** The logged-in account's context; the location is not served without one. */
  context(): MegaContext | undefined {
    return this.mega()
  }

  /** The served node itself, if it still exists. */
  root(): MegaNode | undefined {
    return this.mega()?.nodes.get(this.handle)
  }

  /**
   * The node at `names` below the served node (`[]` is the served node), or undefined. Of two files with one name
   * (MEGA allows it), the newest.
   */
  resolve(names: readonly string[]): MegaNode | undefined {
    const ctx = this.mega()
    let node = this.root()
    for (const name of names) {
      if (!ctx || !node || node.type === NodeType.FILE) return undefined
      node = newest(ctx.nodes.childrenNamed(node.handle, name.normalize('NFC')))
    }
    return node
  }

  /** The children of a folder (files and folders; old versions are children of files, not listed). */
  children(folder: MegaNode): MegaNode[] {
    return this.mega()?.nodes.children(folder.handle).filter((n) => n.type === NodeType.FILE || n.type === NodeType.FOLDER) ?? []
  }
}

function newest(nodes: MegaNode[]): MegaNode | undefined {
  return nodes.reduce<MegaNode | undefined>((best, node) => (!best || node.ts > best.ts ? node : best), undefined)
}
