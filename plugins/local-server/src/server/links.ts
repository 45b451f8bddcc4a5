import {ApiCode, fail} from './api-error.js'
import {flag, optArray, optNumber, optString, isRecord, reqString, type ApiCommand} from './command-fields.js'
import {requireSession, type CommandContext, type CommandTable} from './context.js'
import {applyCryptoRequest} from './crypto-request.js'
import type {Db} from './database.js'
import {newPublicHandle, nowSeconds} from './handles.js'
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

/** The pseudo-user a folder is shared with to export it (mega-api.md §6.1; megajs shareFolder). */
export const EXPORT_USER = 'EXP'

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

/** Public links `l` and folder export `s2` (mega-api.md §6.1, §6.2, §2.7). */
export const linkCommands: CommandTable = {
  l: {auth: 'session', run: exportNode},
  s2: {auth: 'session', run: shareFolder},
}

/**
 * `l`: answers the public handle as a string; asking again for an exported node gives the same handle
 * (mega-api.md §6.1, mega-mock behaviour). `d:1` removes the link (and a folder's EXP share, whose key only
 * served the link). `ph` packets announce both (SDK sc_ph). Writable folder links (`w`) are not supported: the
 * flag is ignored and a read-only link is made.
 */
function exportNode(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const node = ctx.server.nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot export a root node')
  const links = ctx.server.links
  const existing = links.byNode(node.handle)
  if (flag(cmd, 'd')) {
    if (!existing) fail(ApiCode.ENOENT, 'node is not exported')
    links.remove(node.handle)
    links.removeShare(node.handle, EXPORT_USER)
    ctx.emit(owner, 'ph', {h: node.handle, ph: existing.ph, d: 1})
    return 0
  }
  const ets = optNumber(cmd, 'ets') ?? null
  if (existing) {
    if (cmd.ets !== undefined && ets !== existing.ets) {
      links.setExpiry(node.handle, ets)
      ctx.emit(owner, 'ph', {h: node.handle, ph: existing.ph, u: 1, ts: existing.ts, ...(ets ? {ets} : {})})
    }
    return existing.ph
  }
  const link = links.create(node, ets)
  ctx.emit(owner, 'ph', {h: node.handle, ph: link.ph, n: 1, ts: link.ts, ...(ets ? {ets} : {})})
  return link.ph
}

/**
 * `s2` as megajs sends it to export a folder: `s:[{u:"EXP", r:0}]` with the owner's copy of the new share
 * key (`ok`), its handle auth (`ha`) and a `cr` carrying every node key under the share key; `r:""` (megajs
 * unshareFolder) or no `r` (SDK) removes it. The server keeps `ok`/`ha` for `f.ok` and the `cr` keys as
 * `<shareHandle>:<key>` pairs. When the folder already has a share key and a different `ok` arrives, the
 * stored one stays and the reply carries it (SDK CommandSetShare procresult: `ok` in the reply means the
 * server holds another key). Sharing with real users is not implemented (EACCESS).
 */
function shareFolder(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const node = ctx.server.nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type !== NodeType.FOLDER) fail(ApiCode.EACCESS, 'only folders can be shared')
  const entries = optArray(cmd, 's')
  if (!entries) fail(ApiCode.EARGS, 'missing s')
  const links = ctx.server.links
  const before = links.shareKey(node.handle)
  const ok = optString(cmd, 'ok')
  const ha = optString(cmd, 'ha')
  for (const entry of entries) {
    if (!isRecord(entry)) fail(ApiCode.EARGS, 'malformed share entry')
    if (entry.u !== EXPORT_USER) fail(ApiCode.EACCESS, 'sharing with other users is not supported by the local server')
    const r = entry.r
    if (r === undefined || r === null || r === '') {
      links.removeShare(node.handle, EXPORT_USER)
      ctx.emit(owner, 's2', {n: node.handle, o: owner, u: EXPORT_USER, okd: 1})
      // The folder link lived on the EXP share (megajs unshareFolder sends only this s2): it goes too.
      const link = links.byNode(node.handle)
      if (link) {
        links.remove(node.handle)
        ctx.emit(owner, 'ph', {h: node.handle, ph: link.ph, d: 1})
      }
      continue
    }
    const access = Number(r)
    if (!Number.isInteger(access) || access < 0 || access > 2) fail(ApiCode.EARGS, 'bad access level')
    links.setShare(node, EXPORT_USER, access, ok && ha ? {ok, ha} : undefined)
    const key = links.shareKey(node.handle)!
    ctx.emit(owner, 's2', {n: node.handle, o: owner, u: EXPORT_USER, r: access, ts: nowSeconds(), ok: key.ok, ha: key.ha})
  }
  applyCryptoRequest(ctx, owner, cmd.cr)
  if (before && ok && ok !== before.ok) return {ok: before.ok, ha: before.ha}
  return 0
}
