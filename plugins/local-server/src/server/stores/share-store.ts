import {ApiCode, fail} from '../protocol/api-error.js'
import {nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import type {NodeRow} from './node-store.js'

/** The pseudo-user a folder is shared with to export it (mega-api.md §6.1; megajs shareFolder). */
export const EXPORT_USER = 'EXP'

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

/**
 * Outgoing folder shares and the owner's copy of each shared folder's key (the `s` and `ok` lists of `f`). A
 * folder link is the share with EXPORT_USER (plus its public handle in link-store.ts); the node keys under a
 * share key are node_share_keys pairs (node-store.ts), which go with the folder's last share.
 */
export class ShareStore {
  private readonly shareKeyStmt
  private readonly insertShareKeyStmt
  private readonly deleteShareKeyStmt
  private readonly deleteSharePairsStmt
  private readonly sharesOfNodeStmt
  private readonly sharesOfOwnerStmt
  private readonly shareKeysOfOwnerStmt
  private readonly upsertShareStmt
  private readonly deleteShareStmt

  constructor(db: Db) {
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
}
