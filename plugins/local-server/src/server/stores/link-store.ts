import {newPublicHandle, newUrlToken, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import {NodeType, type NodeRow, type NodeStore} from './node-store.js'

export interface LinkRow {
  node: string
  ph: string
  owner: string
  ts: number
  /** Expiry (unix seconds), or null for a permanent link. */
  ets: number | null
  /** Auth key of a writable folder link, null for a read-only one (migration 4). */
  auth: string | null
}

/** What a link is asked to be: its expiry and whether it is writable (the `ets` and `w` of `l`). */
export interface LinkSettings {
  ets: number | null
  writable: boolean
}

/** An exported folder reached through `&n=<ph>`: its root and the link. */
export interface FolderLink {
  link: LinkRow
  root: NodeRow
}

/**
 * Public links of files and folders (the `ph` list of `f`): a public handle, an optional expiry and, for a
 * writable folder link, an auth key per node. The keys a folder link's readers need come with the folder's
 * share with EXPORT_USER (share-store.ts).
 */
export class LinkStore {
  private readonly byNodeStmt
  private readonly byPhStmt
  private readonly insertStmt
  private readonly deleteStmt
  private readonly updateStmt
  private readonly ofOwnerStmt

  constructor(db: Db, private readonly nodes: NodeStore) {
    this.byNodeStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE node = ?')
    this.byPhStmt = db.prepare<[string], LinkRow>('SELECT * FROM links WHERE ph = ?')
    this.insertStmt = db.prepare<LinkRow>('INSERT INTO links (node, ph, owner, ts, ets, auth) VALUES (@node, @ph, @owner, @ts, @ets, @auth)')
    this.deleteStmt = db.prepare<[string]>('DELETE FROM links WHERE node = ?')
    this.updateStmt = db.prepare<[number | null, string | null, string]>('UPDATE links SET ets = ?, auth = ? WHERE node = ?')
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

  create(node: NodeRow, settings: LinkSettings): LinkRow {
    let ph = newPublicHandle()
    while (this.byPh(ph)) ph = newPublicHandle()
    const row: LinkRow = {node: node.handle, ph, owner: node.owner, ts: nowSeconds(), ets: settings.ets, auth: settings.writable ? newAuthKey() : null}
    this.insertStmt.run(row)
    return row
  }

  /**
   * Gives an existing link new settings, keeping its public handle (and its auth key while it stays writable);
   * returns the link as it now is.
   */
  update(link: LinkRow, settings: LinkSettings): LinkRow {
    const auth = settings.writable ? link.auth ?? newAuthKey() : null
    this.updateStmt.run(settings.ets, auth, link.node)
    return {...link, ets: settings.ets, auth}
  }

  remove(node: string): void {
    this.deleteStmt.run(node)
  }

  /**
   * The exported folder behind `&n=<ph>`: the folder, `expired` for a link past its expiry, or undefined (no
   * such link, or the link of a file).
   */
  folderLink(ph: string): FolderLink | 'expired' | undefined {
    const link = this.byPh(ph)
    if (!link) return undefined
    const root = this.nodes.get(link.node)
    if (!root || root.type === NodeType.FILE) return undefined
    return isExpired(link) ? 'expired' : {link, root}
  }
}

export function isExpired(link: LinkRow): boolean {
  return link.ets !== null && link.ets > 0 && link.ets < nowSeconds()
}

/** The `ph` entry of `f` and the fields of the `ph` packet that describe a link (sdk-dialect.md §7.2). */
export function linkFields(link: LinkRow): {ts: number; ets?: number; w?: string} {
  return {ts: link.ts, ...(link.ets ? {ets: link.ets} : {}), ...(link.auth ? {w: link.auth} : {})}
}

/**
 * A writable link's auth key: MEGAcmd prints it after the link as `<ph>#<key>:<auth key>` and the SDK keeps it as
 * an opaque string (CommandSetPH::procresult stores `w`); 16 random bytes in MEGA's base64 are a guess at its form.
 */
function newAuthKey(): string {
  return newUrlToken(16)
}
