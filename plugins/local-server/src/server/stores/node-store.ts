import {ApiCode, fail} from '../protocol/api-error.js'
import type {Db} from './database.js'

/** Node types (mega-api.md §4.1; SDK nodetype_t). */
export const NodeType = {FILE: 0, FOLDER: 1, ROOT: 2, INBOX: 3, RUBBISH: 4} as const

export interface NodeRow {
  handle: string
  owner: string
  parent: string | null
  type: number
  attrs: string
  key: string
  size: number | null
  ts: number
  fa: string | null
  blob: string | null
  /** Who made the node when it is not `owner` (a sharee writing into a shared folder): `u` and whose key `key` is. */
  creator: string | null
}

export interface SharePair {
  share: string
  key: string
}

export interface TreeUsage {
  bytes: number
  files: number
  folders: number
  versionBytes: number
  versionFiles: number
}

const COLUMNS = 'handle, owner, parent, type, attrs, key, size, ts, fa, blob, creator'
const N_COLUMNS = 'n.handle, n.owner, n.parent, n.type, n.attrs, n.key, n.size, n.ts, n.fa, n.blob, n.creator'

/** An account's whole visible tree: root, inbox and rubbish bin first, then their contents, parents first. */
export const VISIBLE_TREE_SQL = `WITH RECURSIVE t AS (
    SELECT * FROM (SELECT ${COLUMNS} FROM nodes WHERE owner = ? AND parent IS NULL ORDER BY type)
    UNION ALL
    SELECT ${N_COLUMNS} FROM nodes n JOIN t ON n.parent = t.handle WHERE t.type <> 0
  ) SELECT * FROM t`

/**
 * The node tree of every account. Recursive CTEs walk it breadth-first (SQLite's recursive queue is FIFO
 * when the recursive select has no ORDER BY), which gives the parents-before-children order megajs needs
 * (mega-api.md §4.2). Descending stops at files, so versions (children of files) stay out of the visible tree.
 */
export class NodeStore {
  private readonly getStmt
  private readonly childrenStmt
  private readonly insertStmt
  private readonly parentStmt
  private readonly attrsStmt
  private readonly faStmt
  private readonly keyStmt
  private readonly visibleFrom
  private readonly fullFrom
  private readonly versionsStmt
  private readonly deleteStmt
  private readonly blobUsedStmt
  private readonly deleteBlobStmt
  private readonly pairsOfOwnerStmt
  private readonly pairsOfNodeStmt
  private readonly addPairStmt
  private readonly usageStmt
  private readonly rootStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], NodeRow>(`SELECT ${COLUMNS} FROM nodes WHERE handle = ?`)
    this.childrenStmt = db.prepare<[string], NodeRow>(`SELECT ${COLUMNS} FROM nodes WHERE parent = ?`)
    this.insertStmt = db.prepare<NodeRow>(`INSERT INTO nodes (${COLUMNS})
      VALUES (@handle, @owner, @parent, @type, @attrs, @key, @size, @ts, @fa, @blob, @creator)`)
    this.parentStmt = db.prepare<[string | null, string]>('UPDATE nodes SET parent = ? WHERE handle = ?')
    this.attrsStmt = db.prepare<[string, string]>('UPDATE nodes SET attrs = ? WHERE handle = ?')
    this.faStmt = db.prepare<[string | null, string]>('UPDATE nodes SET fa = ? WHERE handle = ?')
    this.keyStmt = db.prepare<[string, string]>('UPDATE nodes SET key = ?, creator = NULL WHERE handle = ?')
    this.visibleFrom = db.prepare<[string], NodeRow>(`WITH RECURSIVE t AS (
        SELECT ${COLUMNS} FROM nodes WHERE handle = ?
        UNION ALL
        SELECT ${N_COLUMNS} FROM nodes n JOIN t ON n.parent = t.handle WHERE t.type <> 0
      ) SELECT * FROM t`)
    this.fullFrom = db.prepare<[string], NodeRow>(`WITH RECURSIVE t AS (
        SELECT ${COLUMNS} FROM nodes WHERE handle = ?
        UNION ALL
        SELECT ${N_COLUMNS} FROM nodes n JOIN t ON n.parent = t.handle
      ) SELECT * FROM t`)
    this.versionsStmt = db.prepare<[string], NodeRow>(`SELECT ${N_COLUMNS} FROM nodes n
      JOIN nodes p ON p.handle = n.parent WHERE n.owner = ? AND p.type = 0`)
    this.deleteStmt = db.prepare<[string]>('DELETE FROM nodes WHERE handle = ?')
    this.blobUsedStmt = db.prepare<[string], {one: number}>('SELECT 1 AS one FROM nodes WHERE blob = ? LIMIT 1')
    this.deleteBlobStmt = db.prepare<[string]>('DELETE FROM blobs WHERE id = ?')
    this.pairsOfOwnerStmt = db.prepare<[string], {node: string} & SharePair>(`SELECT k.node, k.share, k.key
      FROM node_share_keys k JOIN nodes n ON n.handle = k.node WHERE n.owner = ?`)
    this.pairsOfNodeStmt = db.prepare<[string], SharePair>('SELECT share, key FROM node_share_keys WHERE node = ?')
    this.addPairStmt = db.prepare<[string, string, string]>(
      'INSERT OR REPLACE INTO node_share_keys (node, share, key) VALUES (?, ?, ?)')
    this.rootStmt = db.prepare<[string, number], NodeRow>(`SELECT ${COLUMNS} FROM nodes WHERE owner = ? AND parent IS NULL AND type = ?`)
    this.usageStmt = db.prepare<[string], {bytes: number | null; files: number; folders: number; vbytes: number | null; vfiles: number}>(`
      WITH RECURSIVE t(handle, type, size, version) AS (
        SELECT handle, type, size, 0 FROM nodes WHERE handle = ?
        UNION ALL
        SELECT n.handle, n.type, n.size, CASE WHEN t.type = 0 THEN 1 ELSE t.version END
        FROM nodes n JOIN t ON n.parent = t.handle
      )
      SELECT SUM(CASE WHEN type = 0 AND version = 0 THEN size END) AS bytes,
             COUNT(CASE WHEN type = 0 AND version = 0 THEN 1 END) AS files,
             COUNT(CASE WHEN type = 1 THEN 1 END) AS folders,
             SUM(CASE WHEN type = 0 AND version = 1 THEN size END) AS vbytes,
             COUNT(CASE WHEN type = 0 AND version = 1 THEN 1 END) AS vfiles
      FROM t`)
  }

  get(handle: string): NodeRow | undefined {
    return this.getStmt.get(handle)
  }

  /** One of the top nodes of an account: its cloud drive, inbox or rubbish bin. */
  rootOf(owner: string, type: number): NodeRow | undefined {
    return this.rootStmt.get(owner, type)
  }

  /** A node of `owner`; anything else (missing or someone else's) is ENOENT, so accounts learn nothing of each other. */
  owned(handle: unknown, owner: string): NodeRow {
    const node = typeof handle === 'string' ? this.get(handle) : undefined
    if (!node || node.owner !== owner) fail(ApiCode.ENOENT, 'no such node')
    return node
  }

  insert(row: NodeRow): void {
    this.insertStmt.run(row)
  }

  setParent(handle: string, parent: string): void {
    this.parentStmt.run(parent, handle)
  }

  setAttrs(handle: string, attrs: string): void {
    this.attrsStmt.run(attrs, handle)
  }

  setFa(handle: string, fa: string | null): void {
    this.faStmt.run(fa, handle)
  }

  /** The node's key, now under its owner's master key (k nk): the owner becomes its only key holder. */
  setOwnerKey(handle: string, key: string): void {
    this.keyStmt.run(key, handle)
  }

  /** The node and its ancestors, nearest first. */
  lineage(node: NodeRow): NodeRow[] {
    const chain: NodeRow[] = []
    for (let cur: NodeRow | undefined = node; cur; cur = cur.parent ? this.get(cur.parent) : undefined) chain.push(cur)
    return chain
  }

  /** The nodes directly below `handle`: a folder's contents, or a file's previous version. */
  children(handle: string): NodeRow[] {
    return this.childrenStmt.all(handle)
  }

  /** `handle` and everything below it, versions included, parents first. */
  subtree(handle: string): NodeRow[] {
    return this.fullFrom.all(handle)
  }

  /** `handle` and everything below it that is not a version, parents first. */
  visibleSubtree(handle: string): NodeRow[] {
    return this.visibleFrom.all(handle)
  }

  /** Old file versions (nodes whose parent is a file): the `f2` list, never in `f` (mega-api.md §4.2). */
  versions(owner: string): NodeRow[] {
    return this.versionsStmt.all(owner)
  }

  /** True when `ancestor` is `node` itself or one of its ancestors. */
  isWithin(node: NodeRow, ancestor: string): boolean {
    for (let cur: NodeRow | undefined = node; cur; cur = cur.parent ? this.get(cur.parent) : undefined) {
      if (cur.handle === ancestor) return true
    }
    return false
  }

  /** True for an old version of a file (its parent is a file). */
  isVersion(node: NodeRow): boolean {
    const parent = node.parent ? this.get(node.parent) : undefined
    return parent?.type === NodeType.FILE
  }

  /**
   * Deletes `handle` and everything below it (versions included) and returns the ids of blobs no node uses
   * any more; their rows are gone and the caller deletes the files once the transaction commits.
   */
  deleteSubtree(handle: string): {handles: string[]; orphanBlobs: string[]} {
    const rows = this.subtree(handle)
    for (const row of rows) this.deleteStmt.run(row.handle)
    const orphanBlobs: string[] = []
    for (const blob of new Set(rows.map((r) => r.blob).filter((b): b is string => b !== null))) {
      if (!this.blobUsedStmt.get(blob)) {
        this.deleteBlobStmt.run(blob)
        orphanBlobs.push(blob)
      }
    }
    return {handles: rows.map((r) => r.handle), orphanBlobs}
  }

  blobInUse(blob: string): boolean {
    return this.blobUsedStmt.get(blob) !== undefined
  }

  /** Every share-key pair on the nodes of `owner`, by node. */
  sharePairsOfOwner(owner: string): Map<string, SharePair[]> {
    const map = new Map<string, SharePair[]>()
    for (const {node, share, key} of this.pairsOfOwnerStmt.all(owner)) {
      const list = map.get(node)
      if (list) list.push({share, key})
      else map.set(node, [{share, key}])
    }
    return map
  }

  sharePairs(node: string): SharePair[] {
    return this.pairsOfNodeStmt.all(node)
  }

  addSharePair(node: string, share: string, key: string): void {
    this.addPairStmt.run(node, share, key)
  }

  usage(root: string): TreeUsage {
    const r = this.usageStmt.get(root)
    return {bytes: r?.bytes ?? 0, files: r?.files ?? 0, folders: r?.folders ?? 0, versionBytes: r?.vbytes ?? 0, versionFiles: r?.vfiles ?? 0}
  }
}
