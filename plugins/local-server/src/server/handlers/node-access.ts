import {ApiCode, fail} from '../protocol/api-error.js'
import {ownerKeyField, toWireNode, type WireNode} from '../protocol/wire-node.js'
import type {ServerContext} from '../server-context.js'
import {NodeType, type NodeRow, type SharePair} from '../stores/node-store.js'
import {Access, EXPORT_USER} from '../stores/share-store.js'

/**
 * Who may do what with a node, and how each account sees it. The owner may do anything; a sharee what the
 * nearest share above the node gives it (SDK MegaClient::checkaccess walks up to the first inbound share):
 * 0 read, 1 read/write (add nodes), 2 full (also rename, move and delete); anyone else nothing.
 */
export function accessLevel(server: ServerContext, user: string, node: NodeRow): number {
  if (node.owner === user) return Access.OWNER
  for (const ancestor of server.nodes.lineage(node)) {
    const share = server.shares.share(ancestor.handle, user)
    if (share && share.pcr === null) return share.access
  }
  return Access.NONE
}

/**
 * A node `user` may act on with at least `level`. One it cannot see at all is ENOENT, like a missing one, so
 * accounts learn nothing of each other; one it sees with too little access is EACCESS (-11, mega-api.md §1.2).
 */
export function nodeWithAccess(server: ServerContext, handle: unknown, user: string, level: number): NodeRow {
  const node = typeof handle === 'string' ? server.nodes.get(handle) : undefined
  if (!node) fail(ApiCode.ENOENT, 'no such node')
  const access = accessLevel(server, user, node)
  if (access === Access.NONE) fail(ApiCode.ENOENT, 'no such node')
  if (access < level) fail(ApiCode.EACCESS, 'the share does not give enough access')
  return node
}

/** The accounts that see `node`: its owner, then every sharee of a folder at or above it (oldest share first). */
export function viewersOf(server: ServerContext, node: NodeRow): string[] {
  const viewers = new Set([node.owner])
  for (const ancestor of server.nodes.lineage(node).reverse()) {
    for (const share of server.shares.sharesOfNode(ancestor.handle)) {
      if (share.pcr === null && share.user !== EXPORT_USER) viewers.add(share.user)
    }
  }
  return [...viewers]
}

/**
 * A node as `viewer` gets it in `f` and in packets. The owner gets every key pair; a sharee its own pair (when it
 * made the node) and the pairs under the share keys it holds, nothing of other shares. The root of a folder shared
 * with the viewer carries the share: `su` owner, `sk` the viewer's copy of the share key, `r` access, `sts` when
 * it was shared (SDK MegaClient::readnode, "inbound share attributes"); its `p` stays the owner's folder, which
 * the viewer does not have, so the SDK takes it as a top-level inbound share (parent null).
 */
export function wireNodeFor(server: ServerContext, node: NodeRow, viewer: string, pairs: readonly SharePair[] = server.nodes.sharePairs(node.handle)): WireNode {
  if (viewer === node.owner) return toWireNode(node, ownerKeyField(node, pairs))
  const readable = pairs.filter((p) => server.shares.share(p.share, viewer)?.pcr === null)
  const own = node.creator === viewer && node.type < NodeType.ROOT ? [`${viewer}:${node.key}`] : []
  const wire = toWireNode(node, [...own, ...readable.map((p) => `${p.share}:${p.key}`)].join('/'))
  const share = server.shares.share(node.handle, viewer)
  if (share && share.pcr === null) {
    Object.assign(wire, {su: node.owner, ...(share.k ? {sk: share.k} : {}), r: share.access, sts: share.ts})
  }
  return wire
}
