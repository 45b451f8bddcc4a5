import {newPublicHandle, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import {NodeType, type NodeRow, type NodeStore} from './node-store.js'

export interface LinkRow {
  node: string
  ph: string
  owner: string
  ts: number
  ets: number | null
}

/** An exported folder reached through `&n=<ph>`: its root and the link. */
export interface FolderLink {
  link: LinkRow
  root: NodeRow
}

/**
 * Public links of files and folders (the `ph` list of `f`): a public handle and an optional expiry per node.
 * The keys a folder link's readers need come with the folder's share with EXPORT_USER (share-store.ts).
 */
export class LinkStore {
  private readonly byNodeStmt
  private readonly byPhStmt
  private readonly insertStmt
  private readonly deleteStmt
  private readonly etsStmt
  private readonly ofOwnerStmt

  constructor(db: Db, private readonly nodes: NodeStore) {
    this.byNodeStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE node = ?')
    this.byPhStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE ph = ?')
    this.insertStmt = db.prepare<LinkRow>('INSERT INTO links (node, ph, owner, ts, ets) VALUES (@node, @ph, @owner, @ts, @ets)')
    this.deleteStmt = db.prepare<[string]>('DELETE FROM links WHERE node = ?')
    this.etsStmt = db.prepare<[number | null, string]>('UPDATE links SET ets = ? WHERE node = ?')
    this.ofOwnerStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE owner = ? ORDER BY ts')
  }

  byNode(node: string): LinkRow | undefined {
    return this.byNodeStmt.get(node)
  }

  byPh(ph: string): LinkRow | undefined {
    return this.byPhStmt.get(ph)
  }

  ofOwner(owner: string): LinkRow[] {
    return this.ofOwnerStmt.all(owner)
  }

  create(node: NodeRow, ets: number | null): LinkRow {
    let ph = newPublicHandle()
    while (this.byPh(ph)) ph = newPublicHandle()
    const row: LinkRow = {node: node.handle, ph, owner: node.owner, ts: nowSeconds(), ets}
    this.insertStmt.run(row)
    return row
  }

  remove(node: string): void {
    this.deleteStmt.run(node)
  }

  setExpiry(node: string, ets: number | null): void {
    this.etsStmt.run(ets, node)
  }

  /**
   * The exported folder behind `&n=<ph>`, or undefined. A public handle of a file, or of an expired link,
   * does not open a folder session.
   */
  folderLink(ph: string): FolderLink | undefined {
    const link = this.byPh(ph)
    if (!link || isExpired(link)) return undefined
    const root = this.nodes.get(link.node)
    if (!root || root.type === NodeType.FILE) return undefined
    return {link, root}
  }
}

export function isExpired(link: LinkRow): boolean {
  return link.ets !== null && link.ets > 0 && link.ets < nowSeconds()
}
