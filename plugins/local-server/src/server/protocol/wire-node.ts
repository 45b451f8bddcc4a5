import {NodeType, type NodeRow, type SharePair} from '../stores/node-store.js'

/** A node as `f`, `p` and `t` packets carry it (mega-api.md §4.2 node object). */
export interface WireNode {
  h: string
  p: string
  u: string
  t: number
  a: string
  k: string
  s?: number
  ts: number
  fa?: string
  /** On the root of a folder shared with the reader: the owner, the reader's copy of the share key, its access. */
  su?: string
  sk?: string
  r?: number
  sts?: number
}

/**
 * Who made a node (`u` on the wire): its owner, or the sharee who created it inside the owner's shared folder;
 * the node's own key is under that user's master key.
 */
export function nodeCreator(node: NodeRow): string {
  return node.creator ?? node.owner
}

/**
 * The `k` field for the owner: the creator's pair first, its handle equal to the node's `u`, then any share
 * pairs. go-mega reads only the text before the first `/` and needs exactly that order; megajs and megatools
 * pick the pair by id (mega-api.md §2.6, §7.3). Root, inbox and rubbish bin have no key.
 */
export function ownerKeyField(node: NodeRow, pairs: readonly SharePair[] = []): string {
  if (node.type >= NodeType.ROOT) return ''
  return [`${nodeCreator(node)}:${node.key}`, ...pairs.map((p) => `${p.share}:${p.key}`)].join('/')
}

export function toWireNode(node: NodeRow, k: string): WireNode {
  const wire: WireNode = {h: node.handle, p: node.parent ?? '', u: nodeCreator(node), t: node.type, a: node.attrs, k, ts: node.ts}
  if (node.type === NodeType.FILE) {
    wire.s = node.size ?? 0
    if (node.fa) wire.fa = node.fa
  }
  return wire
}

export function ownerWireNode(node: NodeRow, pairs: readonly SharePair[] = []): WireNode {
  return toWireNode(node, ownerKeyField(node, pairs))
}
