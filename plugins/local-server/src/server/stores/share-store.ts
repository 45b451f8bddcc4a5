import {ApiCode, fail} from '../protocol/api-error.js'
import {nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import type {NodeRow} from './node-store.js'

/** The pseudo-user a folder is shared with to export it (mega-api.md §6.1; megajs shareFolder). */
export const EXPORT_USER = 'EXP'

/** Access levels of a share (mega-api.md §6.2; SDK accesslevel_t): 3 is the owner's, never a share's. */
export const Access = {NONE: -1, READ: 0, READWRITE: 1, FULL: 2, OWNER: 3} as const

export interface ShareKeyRow {
  node: string
  owner: string
  ok: string
  ha: string
}

export interface ShareRow {
  node: string
  /** A user handle, EXPORT_USER, or (pending share) the invitee's lower-cased email. */
  user: string
  access: number
  ts: number
  /** The sharee's copy of the share key (RSA-encrypted to it, or under its master key); null until supplied. */
  k: string | null
  /** While the share is pending: the contact request that invited `user`. */
  pcr: string | null
}

/** A share key one user sent another through `pk` (the official SDK's pending keys), opaque here. */
export interface PendingKeyRow {
  id: number
  sender: string
  recipient: string
  share: string
  key: string
}

/**
 * Folder shares and their keys: the owner's copy of each shared folder's key (the `ok` list of `f`), one row per
 * sharee in `shares` (a folder link is the share with EXPORT_USER, plus its public handle in link-store.ts; a
 * pending share names its contact request and the invitee's email), and the keys the SDK sends sharees with
 * `pk`. The node keys under a share key are node_share_keys pairs (node-store.ts), which go with the folder's
 * last share.
 */
export class ShareStore {
  private readonly shareKeyStmt
  private readonly insertShareKeyStmt
  private readonly deleteShareKeyStmt
  private readonly replaceShareKeyStmt
  private readonly deleteSharePairsStmt
  private readonly sharesOfNodeStmt
  private readonly shareStmt
  private readonly sharesOfOwnerStmt
  private readonly shareKeysOfOwnerStmt
  private readonly incomingStmt
  private readonly byPcrStmt
  private readonly upsertShareStmt
  private readonly deleteShareStmt
  private readonly promoteStmt
  private readonly recipientKeyStmt
  private readonly addPendingKeyStmt
  private readonly pendingKeysStmt
  private readonly dropPendingKeysStmt

  constructor(db: Db) {
    this.shareKeyStmt = db.prepare<[string], ShareKeyRow>('SELECT * FROM share_keys WHERE node = ?')
    this.insertShareKeyStmt = db.prepare<ShareKeyRow>('INSERT INTO share_keys (node, owner, ok, ha) VALUES (@node, @owner, @ok, @ha)')
    this.deleteShareKeyStmt = db.prepare<[string]>('DELETE FROM share_keys WHERE node = ?')
    this.replaceShareKeyStmt = db.prepare<[string, string, string]>('UPDATE share_keys SET ok = ?, ha = ? WHERE node = ?')
    this.deleteSharePairsStmt = db.prepare<[string]>('DELETE FROM node_share_keys WHERE share = ?')
    this.sharesOfNodeStmt = db.prepare<[string], ShareRow>('SELECT node, user, access, ts, k, pcr FROM shares WHERE node = ? ORDER BY ts, user')
    this.shareStmt = db.prepare<[string, string], ShareRow>('SELECT node, user, access, ts, k, pcr FROM shares WHERE node = ? AND user = ?')
    this.sharesOfOwnerStmt = db.prepare<[string], ShareRow>(`SELECT s.node, s.user, s.access, s.ts, s.k, s.pcr
      FROM shares s JOIN nodes n ON n.handle = s.node WHERE n.owner = ? ORDER BY s.ts, s.user`)
    this.shareKeysOfOwnerStmt = db.prepare<[string], ShareKeyRow>('SELECT * FROM share_keys WHERE owner = ?')
    this.incomingStmt = db.prepare<[string], ShareRow>(
      'SELECT node, user, access, ts, k, pcr FROM shares WHERE user = ? AND pcr IS NULL ORDER BY ts, node')
    this.byPcrStmt = db.prepare<[string], ShareRow>('SELECT node, user, access, ts, k, pcr FROM shares WHERE pcr = ? ORDER BY ts, node')
    this.upsertShareStmt = db.prepare<ShareRow>(`INSERT INTO shares (node, user, access, ts, k, pcr) VALUES (@node, @user, @access, @ts, @k, @pcr)
      ON CONFLICT (node, user) DO UPDATE SET access = excluded.access, k = COALESCE(excluded.k, shares.k), pcr = excluded.pcr`)
    this.deleteShareStmt = db.prepare<[string, string]>('DELETE FROM shares WHERE node = ? AND user = ?')
    this.promoteStmt = db.prepare<[string, string, string]>('UPDATE shares SET user = ?, pcr = NULL WHERE node = ? AND user = ?')
    this.recipientKeyStmt = db.prepare<[string, string, string]>('UPDATE shares SET k = ? WHERE node = ? AND user = ? AND pcr IS NULL')
    this.addPendingKeyStmt = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO pending_keys (sender, recipient, share, key, created) VALUES (?, ?, ?, ?, ?)')
    this.pendingKeysStmt = db.prepare<[string], PendingKeyRow>('SELECT id, sender, recipient, share, key FROM pending_keys WHERE recipient = ? ORDER BY id')
    this.dropPendingKeysStmt = db.prepare<[string, number]>('DELETE FROM pending_keys WHERE recipient = ? AND id <= ?')
  }

  shareKey(node: string): ShareKeyRow | undefined {
    return this.shareKeyStmt.get(node)
  }

  shareKeysOfOwner(owner: string): ShareKeyRow[] {
    return this.shareKeysOfOwnerStmt.all(owner)
  }

  /** Every share of the folders of `owner`: to users, pending ones and folder links. */
  sharesOfOwner(owner: string): ShareRow[] {
    return this.sharesOfOwnerStmt.all(owner)
  }

  /** The shares of one folder (users, pending ones, its folder link), oldest first. */
  sharesOfNode(node: string): ShareRow[] {
    return this.sharesOfNodeStmt.all(node)
  }

  share(node: string, user: string): ShareRow | undefined {
    return this.shareStmt.get(node, user)
  }

  /** The folders shared with `user` (accepted shares only), oldest first. */
  incoming(user: string): ShareRow[] {
    return this.incomingStmt.all(user)
  }

  /** The pending shares waiting for one contact request. */
  pendingFor(pcr: string): ShareRow[] {
    return this.byPcrStmt.all(pcr)
  }

  /**
   * Adds or changes a share. The folder's first share stores the owner's copy of its key (`ok`, `ha`); later
   * ones keep it. A sharee key already stored stays when none comes with the change.
   */
  setShare(node: NodeRow, user: string, access: number, key: {ok: string; ha: string} | undefined, extra: {k?: string | null; pcr?: string | null} = {}): void {
    if (!this.shareKey(node.handle)) {
      if (!key) fail(ApiCode.EARGS, 'a new share needs ok and ha')
      this.addShareKey(node, key)
    }
    this.upsertShareStmt.run({node: node.handle, user, access, ts: nowSeconds(), k: extra.k ?? null, pcr: extra.pcr ?? null})
  }

  /**
   * A pending share to `email` becomes a share with `user`, the invitee's account. Were the folder shared with that
   * account already, the pending one only goes.
   */
  promote(node: string, email: string, user: string): void {
    if (this.share(node, user)) this.deleteShareStmt.run(node, email)
    else this.promoteStmt.run(user, node, email)
  }

  /** Stores the owner's copy of a folder's key (its first share, or before it). */
  addShareKey(node: NodeRow, key: {ok: string; ha: string}): void {
    this.insertShareKeyStmt.run({node: node.handle, owner: node.owner, ...key})
  }

  /** The owner's copy of a folder's key, replacing the current SDK's all-zero placeholder (shares.ts). */
  replaceShareKey(node: string, key: {ok: string; ha: string}): void {
    this.replaceShareKeyStmt.run(key.ok, key.ha, node)
  }

  /** Stores the sharee's copy of the share key (k sr). */
  setRecipientKey(node: string, user: string, k: string): void {
    this.recipientKeyStmt.run(k, node, user)
  }

  /** Removes one share; the folder's share key (and the node keys under it) go with its last share. */
  removeShare(node: string, user: string): void {
    this.deleteShareStmt.run(node, user)
    if (this.sharesOfNodeStmt.all(node).length === 0) {
      this.deleteShareKeyStmt.run(node)
      this.deleteSharePairsStmt.run(node)
    }
  }

  addPendingKey(sender: string, recipient: string, share: string, key: string): void {
    this.addPendingKeyStmt.run(sender, recipient, share, key, nowSeconds())
  }

  pendingKeys(recipient: string): PendingKeyRow[] {
    return this.pendingKeysStmt.all(recipient)
  }

  /** Forgets the keys `recipient` has processed: those up to id `upTo`. */
  dropPendingKeys(recipient: string, upTo: number): void {
    this.dropPendingKeysStmt.run(recipient, upTo)
  }
}
