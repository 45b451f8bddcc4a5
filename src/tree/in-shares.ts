import type {ContactStore} from '../store/contact-store.js'
import type {NodeStore} from '../store/node-store.js'
import {ShareAccess, type ShareStore} from '../store/share-store.js'
import type {MegaNode} from './node.js'

/** A folder another user shares with the account, as paths name it: `<owner email>:<folder name>`. */
export interface InShareRoot {
  node: MegaNode
  /** The owner's email, or its user handle when the cache does not know the owner's email. */
  email: string
  owner: string
  access: ShareAccess
  /** When it was shared (unix seconds). */
  ts: number
  /** False for a folder shared inside another folder shared with us, which is reached through that one. */
  top: boolean
}

/**
 * The folders shared with the account. Only the tops are listed as such (SDK MegaClient::getVerifiedInShares
 * takes inbound shares without a parent); `nested` adds the others, which paths still name from their own share
 * (SDK Node::displaypath stops at the first inbound share).
 */
export function inShareRoots(nodes: NodeStore, shares: ShareStore, contacts: ContactStore, nested = false): InShareRoot[] {
  const roots: InShareRoot[] = []
  for (const share of shares.inShares()) {
    const node = nodes.get(share.node)
    if (!node) continue
    const top = !(node.parent && nodes.get(node.parent))
    if (top || nested) roots.push({node, email: contacts.user(share.owner)?.email ?? share.owner, owner: share.owner, access: share.access, ts: share.ts, top})
  }
  return roots
}

/** The folder shared with us that `node` is in, if any (the nearest one). */
export function enclosingInShare(nodes: NodeStore, shares: ShareStore, node: MegaNode): {node: MegaNode; owner: string; access: ShareAccess} | undefined {
  for (let current: MegaNode | undefined = node, guard = 0; current && guard < 10000; guard++) {
    const share = shares.inShare(current.handle)
    if (share) return {node: current, owner: share.owner, access: share.access}
    current = current.parent ? nodes.get(current.parent) : undefined
  }
  return undefined
}

/** What the account may do with a node (SDK MegaClient::checkaccess): in a folder shared with us, that share's access. */
export function accessOf(nodes: NodeStore, shares: ShareStore, node: MegaNode): ShareAccess {
  return enclosingInShare(nodes, shares, node)?.access ?? ShareAccess.OWNER
}
