import {type MegaContext, type MegaNode, moveNode, NodeType} from '@mega-shell/core'

/**
 * A WebDAV DELETE (or a target replaced by MOVE or COPY) moves the node to the rubbish bin, where the user can get it
 * back, rather than deleting it for good as `rm` does: a WebDAV client deletes with one keystroke.
 */
export async function trashNode(ctx: MegaContext, node: MegaNode): Promise<void> {
  const rubbish = ctx.nodes.root(NodeType.RUBBISH)
  if (!rubbish) throw new Error('The account has no rubbish bin')
  await moveNode(ctx, node, rubbish)
}
