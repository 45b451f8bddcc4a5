import type {NodeAttributes} from '../crypto/attributes.js'
import {type MegaNode, type NodeLink, NodeType} from '../tree/node.js'
import {compareSiblings} from '../tree/sibling-order.js'
import type {Db} from './database.js'
import {BulkNodeLoader} from './bulk-node-loader.js'
import {DeferredIndex} from './deferred-index.js'
import {TreePaths} from './tree-paths.js'
import {TreeTotals} from './tree-totals.js'

interface NodeRow {
  handle: string
  parent: string | null
  type: number
  name: string
  size: number
  ts: number
  mtime: number | null
  owner: string | null
  key: Buffer | null
  attrs: string | null
  fa: string | null
  link: string | null
  link_ts: number | null
  link_ets: number | null
  link_auth: string | null
}

// Every column but `path`, which is the store's own (tree-paths.ts).
const NODE_COLUMNS = 'handle, parent, type, name, size, ts, mtime, owner, key, attrs, fa, link, link_ts, link_ets, link_auth'

type LinkColumns = Pick<NodeRow, 'link' | 'link_ts' | 'link_ets' | 'link_auth'>

function toNode({link, link_ts, link_ets, link_auth, ...row}: NodeRow): MegaNode {
  return {
    ...row, type: row.type as NodeType, attrs: row.attrs ? (JSON.parse(row.attrs) as NodeAttributes) : {},
    link: link === null ? null : {ph: link, created: link_ts ?? 0, expires: link_ets, authKey: link_auth},
  }
}

function linkColumns(link: NodeLink | null): LinkColumns {
  return {link: link?.ph ?? null, link_ts: link?.created ?? null, link_ets: link?.expires ?? null, link_auth: link?.authKey ?? null}
}

/**
 * A child of a folder as a tree walk over many nodes needs it (a sync's pass): no key, no attributes to decode, no
 * link, so that 100,000 of them stay light. `fingerprint` is the `c` attribute; `keyed` whether its key is known.
 */
export interface NodeSummary {
  handle: string
  type: NodeType
  name: string
  size: number
  mtime: number | null
  fingerprint: string | null
  keyed: boolean
}

/**
 * The decrypted node tree, indexed by handle and by (parent, name), so a path lookup costs O(depth)
 * whatever the size of the account (design.md "The SQLite cache is the client's memory").
 */
export class NodeStore {
  private readonly stmts
  private readonly paths: TreePaths
  private readonly totals: TreeTotals

  constructor(private readonly db: Db) {
    this.paths = new TreePaths(db)
    this.totals = new TreeTotals(db)
    this.stmts = {
      get: db.prepare<[string], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE handle = ?`),
      children: db.prepare<[string], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE parent = ?`),
      childSummaries: db.prepare<[string], Omit<NodeSummary, 'keyed'> & {keyed: number}>(
        `SELECT handle, type, name, size, mtime, json_extract(attrs, '$.c') AS fingerprint, key IS NOT NULL AS keyed FROM nodes WHERE parent = ?`),
      childrenNamed: db.prepare<[string, string], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE parent = ? AND name = ?`),
      newestVersions: db.prepare<[], NodeRow>(`SELECT ${NODE_COLUMNS.replace(/(\w+)/g, 'v.$1')} FROM nodes v JOIN nodes f ON v.parent = f.handle
        WHERE v.type = 0 AND f.type = 0 AND NOT EXISTS (SELECT 1 FROM nodes g WHERE g.handle = f.parent AND g.type = 0)`),
      roots: db.prepare<[], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE type IN (2, 3, 4)`),
      // A node given without a link keeps the one it has: packets that re-add a node (`t`) do not repeat its link.
      upsert: db.prepare(`INSERT INTO nodes (${NODE_COLUMNS}, path)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(handle) DO UPDATE SET parent = excluded.parent, type = excluded.type, name = excluded.name,
          size = excluded.size, ts = excluded.ts, mtime = excluded.mtime, owner = excluded.owner, key = excluded.key,
          attrs = excluded.attrs, fa = excluded.fa,
          link_ts = CASE WHEN excluded.link IS NULL THEN nodes.link_ts ELSE excluded.link_ts END,
          link_ets = CASE WHEN excluded.link IS NULL THEN nodes.link_ets ELSE excluded.link_ets END,
          link_auth = CASE WHEN excluded.link IS NULL THEN nodes.link_auth ELSE excluded.link_auth END,
          link = COALESCE(excluded.link, nodes.link), path = excluded.path`),
      setLink: db.prepare<LinkColumns & {handle: string}>(
        'UPDATE nodes SET link = @link, link_ts = @link_ts, link_ets = @link_ets, link_auth = @link_auth WHERE handle = @handle'),
      exported: db.prepare<[], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE link IS NOT NULL`),
      setParent: db.prepare('UPDATE nodes SET parent = ?, path = ? WHERE handle = ?'),
      subtree: db.prepare<[string], NodeRow>(`WITH RECURSIVE sub(h, depth) AS (SELECT ?, 0 UNION ALL SELECT n.handle, sub.depth + 1 FROM nodes n JOIN sub ON n.parent = sub.h)
        SELECT ${NODE_COLUMNS.split(', ').map((c) => `nodes.${c}`).join(', ')} FROM nodes JOIN sub ON nodes.handle = sub.h ORDER BY sub.depth`),
      clear: db.prepare('DELETE FROM nodes'),
      shareKey: db.prepare<[string], {key: Buffer}>('SELECT key FROM share_keys WHERE handle = ?'),
      setShareKey: db.prepare('INSERT OR REPLACE INTO share_keys (handle, key) VALUES (?, ?)'),
      deleteShareKey: db.prepare('DELETE FROM share_keys WHERE handle = ?'),
      clearShareKeys: db.prepare('DELETE FROM share_keys'),
    }
  }

  get(handle: string): MegaNode | undefined {
    const row = this.stmts.get.get(handle)
    return row && toNode(row)
  }

  /** The children of a folder in MEGAcmd's listing order (tree/sibling-order.ts). */
  children(handle: string): MegaNode[] {
    return this.stmts.children.all(handle).map(toNode).sort(compareSiblings)
  }

  /**
   * Whether `handle` is `ancestor` or lies below it: one lookup of its stored path (tree-paths.ts), which lists the
   * handles of every cached ancestor, instead of a walk up its parents.
   */
  isWithin(handle: string, ancestor: string): boolean {
    return this.paths.pathOf(handle)?.includes(`/${ancestor}/`) ?? false
  }

  /**
   * The path of a folder of the Cloud Drive from its root (`/a/b`, `/` for the root), as a service without a
   * command's cwd names it; undefined for a node that is gone or lies elsewhere (rubbish bin, another user's share).
   */
  drivePath(handle: string): string | undefined {
    const names: string[] = []
    for (let node = this.get(handle); node; node = node.parent ? this.get(node.parent) : undefined) {
      if (node.type === NodeType.ROOT) return `/${names.reverse().join('/')}`
      if (node.type !== NodeType.FOLDER) return undefined
      names.push(node.name)
    }
    return undefined
  }

  /** The children of a folder as NodeSummary, in no particular order. */
  childSummaries(handle: string): NodeSummary[] {
    return this.stmts.childSummaries.all(handle).map((row) => ({...row, type: row.type as NodeType, fingerprint: typeof row.fingerprint === 'string' ? row.fingerprint : null, keyed: row.keyed === 1}))
  }

  /**
   * The older versions of a file, newest first: a version is a file whose parent is a file, so the chain is the
   * file's file child, that one's file child, and so on (mega-api.md §4.7; the SDK's Node::children of a file).
   */
  versionsOf(handle: string): MegaNode[] {
    const chain: MegaNode[] = []
    for (let current = handle; ;) {
      const older = this.stmts.children.all(current).find((row) => row.type === NodeType.FILE)
      if (!older) return chain
      chain.push(toNode(older))
      current = older.handle
    }
  }

  childrenNamed(parent: string, name: string): MegaNode[] {
    return this.stmts.childrenNamed.all(parent, name).map(toNode)
  }

  root(type: NodeType.ROOT | NodeType.INBOX | NodeType.RUBBISH): MegaNode | undefined {
    return this.stmts.roots.all().map(toNode).find((n) => n.type === type)
  }

  upsert(node: MegaNode): void {
    const before = this.paths.pathOf(node.handle)
    if (before !== undefined) this.totals.detach(node.handle)
    const path = this.paths.pathUnder(node.handle, node.parent)
    this.writeAt(node, path)
    this.paths.placed(node.handle, path, before)
    if (before === undefined) this.totals.recount(node.handle)
    this.totals.attach(node.handle)
  }

  /**
   * Writes a node with a path its caller worked out, leaving the rest of the tree and the folder totals as they are
   * (bulk-node-loader.ts, which counts them at the end).
   */
  writeAt(node: MegaNode, path: string): void {
    // Positional values, in NODE_COLUMNS order then path: a reload writes a million of these, and building a named
    // object for each was a good part of its time.
    const link = linkColumns(node.link)
    this.stmts.upsert.run(node.handle, node.parent, node.type, node.name, node.size, node.ts, node.mtime, node.owner, node.key,
      JSON.stringify(node.attrs), node.fa, link.link, link.link_ts, link.link_ets, link.link_auth, path)
  }

  /**
   * Fast writes for a reload into the emptied cache, in a write transaction (beginWrite). The name index of find
   * (migrations.ts) is built at the end: kept row by row it added 8 s of CPU to a million-node login, built once ~2 s.
   */
  bulkLoader(): BulkNodeLoader {
    return new BulkNodeLoader(this, this.paths, this.totals, new DeferredIndex(this.db, 'nodes_by_name'))
  }

  /**
   * A write transaction that stays open across awaits (a reload written while its reply streams in): BEGIN
   * IMMEDIATE now, like transaction(); the caller ends it with commit or rollback. Nothing else may use this
   * connection's transactions meanwhile.
   */
  beginWrite(): {commit: () => void; rollback: () => void} {
    this.db.exec('BEGIN IMMEDIATE')
    return {
      commit: () => this.db.exec('COMMIT'),
      rollback: () => {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
      },
    }
  }

  setParent(handle: string, parent: string): void {
    const before = this.paths.pathOf(handle)
    if (before === undefined) return
    this.totals.detach(handle)
    const path = this.paths.pathUnder(handle, parent)
    this.stmts.setParent.run(parent, path, handle)
    this.paths.placed(handle, path, before)
    this.totals.attach(handle)
  }

  setLink(handle: string, link: NodeLink | null): void {
    this.stmts.setLink.run({handle, ...linkColumns(link)})
  }

  /** Every node that has a public link (export's listing keeps those under the node it lists). */
  exported(): MegaNode[] {
    return this.stmts.exported.all().map(toNode)
  }

  /** A node and everything below it, each parent before its children. */
  subtree(handle: string): MegaNode[] {
    return this.stmts.subtree.all(handle).map(toNode)
  }

  /** The newest old version of every file: deleting these deletes every version chain (`dv`). */
  newestVersions(): MegaNode[] {
    return this.stmts.newestVersions.all().map(toNode)
  }

  /** True for an old file version: a file whose parent is a file. */
  isVersion(node: MegaNode): boolean {
    return node.type === NodeType.FILE && node.parent !== null && this.get(node.parent)?.type === NodeType.FILE
  }

  /** Removes a node and everything below it. */
  deleteTree(handle: string): void {
    this.totals.detach(handle)
    this.paths.deleteSubtree(handle)
  }

  clear(): void {
    this.stmts.clear.run()
    this.stmts.clearShareKeys.run()
  }

  shareKey(handle: string): Buffer | undefined {
    return this.stmts.shareKey.get(handle)?.key
  }

  setShareKey(handle: string, key: Buffer): void {
    this.stmts.setShareKey.run(handle, key)
  }

  deleteShareKey(handle: string): void {
    this.stmts.deleteShareKey.run(handle)
  }

  /** Runs `fn` in one write transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }
}
