import {type MegaContext, NodeType, type NodeSummary} from '@mega-shell/core'
import type {IgnoreRules} from '../ignore/ignore-rules.js'
import {LOCAL_DEBRIS} from '../local/local-debris.js'
import {EntryKind} from '../state/sync-store.js'

/** A file or folder under a sync's remote root, from the cache the live feed keeps current. */
export interface RemoteEntry {
  /** The key both sides meet under: relative, `/`-separated, NFC. */
  path: string
  kind: EntryKind
  handle: string
  size: number
  /** The content's mtime (unix seconds) from the fingerprint attribute. */
  mtime: number | null
  fingerprint: string | null
  /** The name as the cloud has it (the key is its NFC form). The node itself is looked up when an action needs it:
   * a pass over 100,000 entries must not hold 100,000 decrypted nodes with their keys. */
  name: string
}

export interface RemoteProblem {
  path: string
  reason: 'bad-name' | 'name-clash' | 'undecryptable'
}

export interface RemoteSnapshot {
  entries: Map<string, RemoteEntry>
  problems: RemoteProblem[]
}

/**
 * The remote tree under `rootHandle` as the sync sees it. Names that cannot be local names (`/`, NUL, `.`, `..`)
 * are left alone and reported, never mapped to some other local path: a remote name must not choose where a file
 * lands. MEGA lets a folder hold two nodes of one name; the sync cannot tell which one a local file is, so both are
 * left alone (the SDK's "Name conflicts" stall). Old versions hang under their file, so the walk never meets them.
 */
export function snapshotRemote(ctx: MegaContext, rootHandle: string, rules: IgnoreRules): RemoteSnapshot {
  const entries = new Map<string, RemoteEntry>()
  const problems: RemoteProblem[] = []
  const walk = (handle: string, key: string): void => {
    const seen = new Map<string, NodeSummary[]>()
    for (const child of ctx.nodes.childSummaries(handle)) {
      const name = child.name.normalize('NFC')
      seen.set(name, [...(seen.get(name) ?? []), child])
    }
    for (const [name, nodes] of seen) {
      if (key === '' && name === LOCAL_DEBRIS) continue
      const childKey = key === '' ? name : `${key}/${name}`
      if (nodes.length > 1) {
        problems.push({path: childKey, reason: 'name-clash'})
        continue
      }
      const node = nodes[0]
      if (!node.keyed) {
        problems.push({path: childKey, reason: 'undecryptable'})
        continue
      }
      if (/[/\0]/.test(name) || name === '' || name === '.' || name === '..') {
        problems.push({path: childKey, reason: 'bad-name'})
        continue
      }
      const folder = node.type !== NodeType.FILE
      if (rules.excludes(childKey, folder ? 'folder' : 'file', node.size)) continue
      entries.set(childKey, {
        path: childKey, kind: folder ? EntryKind.FOLDER : EntryKind.FILE, handle: node.handle, size: folder ? 0 : node.size, mtime: node.mtime,
        fingerprint: node.fingerprint, name: node.name,
      })
      if (folder) walk(node.handle, childKey)
    }
  }
  walk(rootHandle, '')
  return {entries, problems}
}
