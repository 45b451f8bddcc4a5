import {compareSdkHandles, type MegaContext, type MegaNode, type OutShare} from '@mega-shell/core'

/**
 * The shares of one of our folders in MEGAcmd's order (the SDK keeps a node's shares in maps keyed by user handle,
 * and its pending ones by contact request, compareSdkHandles): accepted ones, then with `pending` the pending ones.
 */
export function sharesOf(ctx: MegaContext, folder: MegaNode, pending: boolean): OutShare[] {
  const shares = ctx.shares.outShares(folder.handle).sort((a, b) => compareSdkHandles(a.user, b.user))
  return [...shares.filter((s) => !s.pending), ...(pending ? shares.filter((s) => s.pending) : [])]
}

/** Whom a share is with: the contact's email, or for a pending share the invitee's (from its contact request). */
export function shareEmail(ctx: MegaContext, share: OutShare): string {
  return (share.pending ? ctx.contacts.request(share.user)?.email : ctx.contacts.user(share.user)?.email) ?? share.user
}

/**
 * The folders at or below `start` that are shared (with `pending`, shared or only pending), children before their
 * folder, siblings in listing order: MEGAcmd's processTree (megacmdexecuter.cpp) with includeIfIsShared /
 * includeIfIsSharedOrPendingOutShare.
 */
export function sharedFolders(ctx: MegaContext, start: MegaNode, pending: boolean): MegaNode[] {
  const found: MegaNode[] = []
  const visit = (node: MegaNode) => {
    for (const child of ctx.nodes.children(node.handle)) visit(child)
    if (sharesOf(ctx, node, pending).length > 0) found.push(node)
  }
  visit(start)
  return found
}
