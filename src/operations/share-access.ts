import {CommandError, ExitCode} from '../errors.js'
import {shareAccessText} from '../format/share-access-text.js'
import type {MegaContext} from '../session/context.js'
import {ShareAccess} from '../store/share-store.js'
import {enclosingInShare} from '../tree/in-shares.js'
import type {MegaNode} from '../tree/node.js'

/**
 * Writes follow the access of a folder another user shares with us (mega-api.md §6.2; SDK MegaClient::checkaccess,
 * checkmove, setattr, unlink): read access takes no writes, read/write access takes new files and folders, full
 * access also renames, moves and deletes. A write the share does not allow fails here, before anything is sent,
 * with MEGAcmd's NOTPERMITTED (56); the server would refuse it too (EACCESS).
 */
export function requireAccess(ctx: MegaContext, node: MegaNode, needed: ShareAccess.READWRITE | ShareAccess.FULL): void {
  const share = enclosingInShare(ctx.nodes, ctx.shares, node)
  if (!share || share.access >= needed) return
  const what = needed === ShareAccess.READWRITE ? 'Writing' : 'Renaming, moving or deleting'
  throw new CommandError(
    `Access denied: ${what} in "${share.node.name}" needs ${shareAccessText(needed)}; ${ownerEmail(ctx, share.owner)} shares it with ${shareAccessText(share.access)}`,
    ExitCode.NOTPERMITTED,
  )
}

/** The account whose tree `node` is in: a folder's sharer, or ours (undefined). */
export function treeOwner(ctx: MegaContext, node: MegaNode): string | undefined {
  return enclosingInShare(ctx.nodes, ctx.shares, node)?.owner
}

/** True when `node` is the top of a folder another user shares with us. */
export function isInShareRoot(ctx: MegaContext, node: MegaNode): boolean {
  return ctx.shares.inShare(node.handle) !== undefined
}

export function ownerEmail(ctx: MegaContext, owner: string): string {
  return ctx.contacts.user(owner)?.email ?? owner
}
