import {type MegaNode, NodeType} from '../tree/node.js'
import type {DeferredIndex} from './deferred-index.js'
import type {NodeStore} from './node-store.js'
import type {TreePaths} from './tree-paths.js'
import type {ChildSums, TreeTotals} from './tree-totals.js'

/**
 * Writes the nodes of a full reload into an emptied cache, as fast as SQLite takes them: a million-node `f` went
 * through NodeStore.upsert at four statements a node (its old path, its parent's path, the write, children that
 * came before it). Servers send `f` parents first (mega-api.md §4.2), so the loader remembers the path of every
 * folder it wrote and a child's path is its parent's plus its handle: one statement a node. Anything else (an old
 * version under its file, a node whose parent has not come yet, one that adopts children that came before it)
 * takes the general way of tree-paths.ts, so the order of the reply changes only the speed, never the paths. The
 * folder totals (tree-totals.ts) are summed per parent as nodes come and counted once at the end (finish).
 */
export class BulkNodeLoader {
  /** Paths of the folders (and roots) written so far. */
  private folderPaths = new Map<string, string>()
  /** Parents named by nodes that came before them. */
  private readonly awaited = new Set<string>()
  /** The files, bytes and folders directly inside each parent, for the folder totals (tree-totals.ts). */
  private readonly inside = new Map<string, ChildSums>()

  constructor(
    private readonly nodes: NodeStore,
    private readonly paths: TreePaths,
    private readonly totals: TreeTotals,
    private readonly nameIndex: DeferredIndex,
  ) {}

  add(node: MegaNode): void {
    const parentPath = node.parent === null ? '/' : this.folderPaths.get(node.parent)
    let path: string
    if (parentPath !== undefined) {
      path = `${parentPath}${node.handle}/`
    } else {
      path = this.paths.pathUnder(node.handle, node.parent)
      if (this.paths.pathOf(node.parent!) === undefined) this.awaited.add(node.parent!)
    }
    this.nodes.writeAt(node, path)
    if (this.awaited.delete(node.handle)) {
      this.paths.placed(node.handle, path, undefined)
      // The adopted subtree moved under this node: paths remembered inside it are stale.
      this.folderPaths = new Map()
    }
    if (node.type !== NodeType.FILE) this.folderPaths.set(node.handle, path)
    if (node.parent !== null) this.sum(node)
  }

  /** After the last node: the name index and the totals of every folder. */
  finish(): void {
    this.nameIndex.build()
    this.totals.recountAll(this.inside)
  }

  private sum(node: MegaNode): void {
    let sums = this.inside.get(node.parent!)
    if (!sums) this.inside.set(node.parent!, (sums = {files: 0, folders: 0, bytes: 0}))
    if (node.type === NodeType.FILE) {
      sums.files++
      sums.bytes += node.size
    } else if (node.type === NodeType.FOLDER) {
      sums.folders++
    }
  }
}
