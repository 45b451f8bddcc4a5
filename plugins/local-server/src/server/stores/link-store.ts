import {ApiCode, fail} from '../protocol/api-error.js'
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

export interface ShareKeyRow {
  node: string
  owner: string
  ok: string
  ha: string
}

export interface ShareRow {
  node: string
  user: string
  access: number
  ts: number
}

/** An exported folder reached through `&n=<ph>`: its root and the link. */
export interface FolderLink {
  link: LinkRow
  root: NodeRow
}

/** Public links, outgoing shares and owner share keys (the `ph`, `s` and `ok` lists of `f`). */
export class LinkStore {
  private readonly byNodeStmt
  private readonly byPhStmt
  private readonly insertStmt
  private readonly deleteStmt
  private readonly etsStmt
  private readonly ofOwnerStmt
  private readonly shareKeyStmt
  private readonly insertShareKeyStmt
  private readonly deleteShareKeyStmt
  private readonly deleteSharePairsStmt
  private readonly sharesOfNodeStmt
  private readonly sharesOfOwnerStmt
  private readonly shareKeysOfOwnerStmt
  private readonly upsertShareStmt
  private readonly deleteShareStmt

  constructor(db: Db, private readonly nodes: NodeStore) {
    this.byNodeStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE node = ?')
    this.byPhStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE ph = ?')
    this.insertStmt = db.prepare<LinkRow>('INSERT INTO links (node, ph, owner, ts, ets) VALUES (@node, @ph, @owner, @ts, @ets)')
    this.deleteStmt = db.prepare<[string]>('DELETE FROM links WHERE node = ?')
    this.etsStmt = db.prepare<[number | null, string]>('UPDATE links SET ets = ? WHERE node = ?')
    this.ofOwnerStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE owner = ? ORDER BY ts')
    this.shareKeyStmt = db.prepare<[string], ShareKeyRow>('SELECT * FROM share_keys WHERE node = ?')
    this.insertShareKeyStmt = db.prepare<ShareKeyRow>('INSERT INTO share_keys (node, owner, ok, ha) VALUES (@node, @owner, @ok, @ha)')
    this.deleteShareKeyStmt = db.prepare<[string]>('DELETE FROM share_keys WHERE node = ?')
    this.deleteSharePairsStmt = db.prepare<[string]>('DELETE FROM node_share_keys WHERE share = ?')
    this.sharesOfNodeStmt = db.prepare<[string], ShareRow>('SELECT * FROM shares WHERE node = ?')
    this.sharesOfOwnerStmt = db.prepare<[string], ShareRow>(
      'SELECT s.* FROM shares s JOIN nodes n ON n.handle = s.node WHERE n.owner = ? ORDER BY s.ts')
    this.shareKeysOfOwnerStmt = db.prepare<[string], ShareKeyRow>('SELECT * FROM share_keys WHERE owner = ?')
    this.upsertShareStmt = db.prepare<ShareRow>(`INSERT INTO shares (node, user, access, ts) VALUES (@node, @user, @access, @ts)
      ON CONFLICT (node, user) DO UPDATE SET access = excluded.access`)
    this.deleteShareStmt = db.prepare<[string, string]>('DELETE FROM shares WHERE node = ? AND user = ?')
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

  shareKey(node: string): ShareKeyRow | undefined {
    return this.shareKeyStmt.get(node)
  }

  shareKeysOfOwner(owner: string): ShareKeyRow[] {
    return this.shareKeysOfOwnerStmt.all(owner)
  }

  sharesOfOwner(owner: string): ShareRow[] {
    return this.sharesOfOwnerStmt.all(owner)
  }

  setShare(node: NodeRow, user: string, access: number, key: {ok: string; ha: string} | undefined): void {
    if (!this.shareKey(node.handle)) {
      if (!key) fail(ApiCode.EARGS, 'a new share needs ok and ha')
      this.insertShareKeyStmt.run({node: node.handle, owner: node.owner, ...key})
    }
    this.upsertShareStmt.run({node: node.handle, user, access, ts: nowSeconds()})
  }

  /** Removes one share; the folder's share key (and the node keys under it) go with its last share. */
  removeShare(node: string, user: string): void {
    this.deleteShareStmt.run(node, user)
    if (this.sharesOfNodeStmt.all(node).length === 0) {
      this.deleteShareKeyStmt.run(node)
      this.deleteSharePairsStmt.run(node)
    }
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
