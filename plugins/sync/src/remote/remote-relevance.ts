import type {MegaContext, TreeChange} from '@mega-shell/core'

/** What a sync is asked about a change: its root, and whether a node that is gone now was one it had in sync. */
export interface SyncScope {
  remoteHandle: string
  hadHandle(handle: string): boolean
}

/**
 * Whether a change the live feed applied touches a sync's cloud folder: a node created, changed or moved under it, or
 * one it had in sync deleted (a deleted node is gone from the cache, so its place is known only to the synced
 * state). Any other change of the account (another folder, contacts, links) starts no pass, so that a busy account
 * costs an idle sync nothing. A reload may have changed anything.
 */
export function touchesSync(ctx: MegaContext, change: TreeChange, scope: SyncScope): boolean {
  if (change.reloaded) return true
  const under = (handle: string | undefined): boolean => handle !== undefined && ctx.nodes.isWithin(handle, scope.remoteHandle)
  for (const packet of change.packets as ReadonlyArray<{a: string; n?: string; t?: {f?: Array<{h: string; p?: string}>}}>) {
    // Action packets (mega-api.md §1.5): t new nodes (and the new place of moved ones), u attributes, d deletion.
    if (packet.a === 't' && packet.t?.f?.some((node) => under(node.p) || under(node.h))) return true
    if (packet.a === 'u' && under(packet.n)) return true
    if (packet.a === 'd' && packet.n && (packet.n === scope.remoteHandle || scope.hadHandle(packet.n) || under(packet.n))) return true
  }
  return false
}
