import type {MegaContext} from '../session/context.js'
import type {MegaNode} from '../tree/node.js'
import {deleteNode} from './remote-ops.js'
import {withTreeWriteLock} from './tree-write-lock.js'

/**
 * The remote folders one command created, so that an interrupted upload takes back those that received no
 * file: it leaves nothing empty behind, and the folders that did receive files stay.
 */
export class CreatedFolders {
  private readonly handles = new Set<string>()

  add(nodes: Iterable<MegaNode>): void {
    for (const node of nodes) this.handles.add(node.handle)
  }

  /**
   * Deletes the created folders that hold nothing but other created folders: the outermost of each such
   * subtree, all in one request. Under the tree-write lock, since another command of this profile may be
   * putting a file into one of them. Returns the deleted folders.
   */
  removeEmpty(ctx: MegaContext): Promise<MegaNode[]> {
    return withTreeWriteLock(ctx, async () => {
      const verdicts = new Map<string, boolean>()
      const holdsOnlyOurs = (handle: string): boolean => {
        let verdict = verdicts.get(handle)
        if (verdict === undefined) {
          verdict = ctx.nodes.children(handle).every((child) => this.handles.has(child.handle) && holdsOnlyOurs(child.handle))
          verdicts.set(handle, verdict)
        }
        return verdict
      }
      const empty = [...this.handles].flatMap((handle) => ctx.nodes.get(handle) ?? []).filter((node) => holdsOnlyOurs(node.handle))
      const emptyHandles = new Set(empty.map((node) => node.handle))
      const outermost = empty.filter((node) => !(node.parent && emptyHandles.has(node.parent)))
      await Promise.all(outermost.map((node) => deleteNode(ctx, node)))
      return outermost
    })
  }
}
