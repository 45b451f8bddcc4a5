import type {MegaNode, NodeType} from '../../src/tree/node.js'

/** A node as the cache holds it, with only what path resolution and listings read (no key, no attributes). */
export function cachedNode(handle: string, parent: string | null, type: NodeType, name: string, mtime: number | null = null): MegaNode {
  return {handle, parent, type, name, size: 0, ts: 0, mtime, owner: null, key: null, attrs: {}, fa: null, link: null}
}
