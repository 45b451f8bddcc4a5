import {ApiCode, fail} from '../protocol/api-error.js'
import {b64ToBuffer, isB64, isRecord, optArray, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {decodeSn, encodeSn, nowSeconds} from '../protocol/handles.js'
import type {WireNode} from '../protocol/wire-node.js'
import type {ServerContext} from '../server-context.js'
import type {ContactRequestRow} from '../stores/contact-store.js'
import {NodeType, type NodeRow} from '../stores/node-store.js'
import {Access, EXPORT_USER, type ShareRow} from '../stores/share-store.js'
import type {UserRow} from '../stores/user-store.js'
import {currentUser} from './accounts.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {invite} from './contacts.js'
import {applyCryptoRequest} from './crypto-request.js'
import {nodeWithAccess, wireNodeFor} from './node-access.js'

/**
 * Folder shares (mega-api.md §6.2, §2.7): `s2` shares a folder with users (or exports it, the pseudo-user EXP),
 * `k` carries share keys the server asked for and rewritten node keys (§6.3), `pk` the official SDK's pending
 * keys. The sharee sees the folder in `f` and in packets (node-access.ts); writes into it follow its access.
 */
export const shareCommands: CommandTable = {
  s2: {auth: 'session', run: shareFolder},
  k: {auth: 'session', run: supplyKeys},
  pk: {auth: 'session', run: pendingKeys},
}

/**
 * `s2 {n, s:[{u, r, k?}], ok, ha, cr?, msg?}`. `u` is a user handle, an email or EXP; `r` 0 read, 1 read/write,
 * 2 full; no `r` (SDK) or `r:""` (megajs) removes. `k` is the share key MEGA-RSA-encrypted to the sharee (SDK
 * CommandSetShare as of 2021; the current SDK sends none and delivers keys with `pk`). `ok`/`ha` are the owner's
 * copy of the share key and its handle auth, kept from the folder's first share; the current SDK sends them all
 * zero ("dummy key/handleauth", CommandSetShare), which counts as offering none. When the folder already has
 * another key, nothing changes and the reply carries the stored one (CommandSetShare::procresult: `ok` in the
 * reply means the server holds a different key). `cr` carries node keys under the share key.
 *
 * A contact gets the share at once: its tree (`t`), then an `s2` with its copy of the key. Anyone else (an
 * email without an account, or an account that is not a contact) gets a pending share and a contact request,
 * mailed like `upc` (SDK comment on `u`: "sending the userhandle instead of the email makes the API to assume
 * the user is already a contact"); it becomes a share when the invitee accepts (promotePendingShares).
 */
function shareFolder(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = currentUser(ctx)
  const node = nodeWithAccess(ctx.server, reqString(cmd, 'n'), me.handle, Access.OWNER)
  if (node.type !== NodeType.FOLDER) fail(ApiCode.EACCESS, 'only folders can be shared')
  const entries = optArray(cmd, 's')
  if (!entries) fail(ApiCode.EARGS, 'missing s')
  const {shares} = ctx.server
  const stored = shares.shareKey(node.handle)
  const offered = ownerKey(cmd)
  const real = offered && !isZero(offered.ok) ? offered : undefined
  if (stored && real && real.ok !== stored.ok && !isZero(stored.ok)) return {ok: stored.ok, ha: stored.ha}
  if (stored && real && isZero(stored.ok)) shares.replaceShareKey(node.handle, real)
  // The folder's key and the node keys under it (`cr`) first: the trees sent to new sharees carry them.
  if (!stored && offered) shares.addShareKey(node, offered)
  applyCryptoRequest(ctx, me.handle, cmd.cr)
  for (const entry of entries) {
    if (!isRecord(entry)) fail(ApiCode.EARGS, 'malformed share entry')
    const removal = entry.r === undefined || entry.r === null || entry.r === ''
    const access = Number(entry.r)
    if (!removal && (!Number.isInteger(access) || access < Access.READ || access > Access.FULL)) fail(ApiCode.EARGS, 'bad access level')
    if (entry.u === EXPORT_USER) {
      if (removal) endExport(ctx, node)
      else exportFolder(ctx, node, access, offered)
    } else if (typeof entry.u === 'string' && entry.u !== '') {
      if (removal) endUserShare(ctx, node, entry.u)
      else shareWithUser(ctx, node, me, entry.u, access, offered, {k: typeof entry.k === 'string' && isB64(entry.k) ? entry.k : null, msg: optString(cmd, 'msg') ?? ''})
    } else {
      fail(ApiCode.EARGS, 'missing share user')
    }
  }
  return 0
}

interface OwnerKey {
  ok: string
  ha: string
}

/** The owner's copy of the share key offered with `s2` (all zero from the current SDK), if any. */
function ownerKey(cmd: ApiCommand): OwnerKey | undefined {
  const ok = optString(cmd, 'ok')
  const ha = optString(cmd, 'ha')
  return ok && ha && isB64(ok) && isB64(ha) ? {ok, ha} : undefined
}

function isZero(b64: string): boolean {
  return b64ToBuffer(b64).every((byte) => byte === 0)
}

/** The owner's fields of an `s2` packet: its copy of the key, so its other sessions learn it (SDK sc_shares `ok`). */
function ownerKeyFields(ctx: CommandContext, node: NodeRow): Record<string, string> {
  const key = ctx.server.shares.shareKey(node.handle)
  return key ? {ok: key.ok, ha: key.ha} : {}
}

/** The folder link's share (megajs shareFolder / unshareFolder; SDK CommandSetShare with no user). */
function exportFolder(ctx: CommandContext, node: NodeRow, access: number, offered: OwnerKey | undefined): void {
  ctx.server.shares.setShare(node, EXPORT_USER, access, offered)
  ctx.emit(node.owner, 's2', {n: node.handle, o: node.owner, u: EXPORT_USER, r: access, ts: nowSeconds(), ...ownerKeyFields(ctx, node)})
}

function endExport(ctx: CommandContext, node: NodeRow): void {
  const {links, shares} = ctx.server
  shares.removeShare(node.handle, EXPORT_USER)
  ctx.emit(node.owner, 's2', {n: node.handle, o: node.owner, u: EXPORT_USER, okd: 1})
  // The folder link lived on the EXP share (megajs unshareFolder sends only this s2): it goes too.
  const link = links.byNode(node.handle)
  if (link) {
    links.remove(node.handle)
    ctx.emit(node.owner, 'ph', {h: node.handle, ph: link.ph, d: 1})
  }
}

function shareWithUser(ctx: CommandContext, node: NodeRow, me: UserRow, id: string, access: number, offered: OwnerKey | undefined, extra: {k: string | null; msg: string}): void {
  const {users, contacts, shares} = ctx.server
  const target = users.byHandleOrEmail(id)
  if (!target && !id.includes('@')) fail(ApiCode.ENOENT, 'no such user')
  if (target?.handle === me.handle) fail(ApiCode.EARGS, 'cannot share with yourself')
  if (target && contacts.isContact(me.handle, target.handle)) {
    const isNew = !shares.share(node.handle, target.handle)
    shares.setShare(node, target.handle, access, offered, {k: extra.k})
    const row = shares.share(node.handle, target.handle)!
    ctx.emit(me.handle, 's2', {n: node.handle, o: me.handle, u: target.handle, r: access, ts: row.ts, ...ownerKeyFields(ctx, node)})
    deliverShare(ctx, node, row, isNew)
    return
  }
  const email = (target?.email ?? id).toLowerCase()
  const request = contacts.requestBetween(me.handle, email) ?? invite(ctx, me, email, extra.msg)
  shares.setShare(node, email, access, offered, {k: extra.k, pcr: request.handle})
  ctx.emit(me.handle, 's2', {n: node.handle, o: me.handle, p: request.handle, r: access, ts: shares.share(node.handle, email)!.ts, ...ownerKeyFields(ctx, node)})
}

/**
 * A share as its sharee gets it: when new, the folder's tree in its view (the root carrying `su`, `sk`, `r`),
 * then an `s2` with the access and its copy of the key (SDK sc_shares, inbound). Without a copy of the key, the
 * owner's client is asked for one with a `k` packet `{sr:[share, user]}`, which it answers with `k` (SDK as of
 * 2021: sc_keys → procsr → PubKeyActionSendShareKey → CommandShareKeyUpdate). The current SDK reads neither
 * (it keeps share keys in ^!keys and sends them with `pk`), so that request goes to the other clients only.
 */
function deliverShare(ctx: CommandContext, node: NodeRow, row: ShareRow, isNew: boolean): void {
  const {server} = ctx
  if (isNew) {
    const tree = server.nodes.visibleSubtree(node.handle).map((n) => wireNodeFor(server, n, row.user))
    ctx.emit(row.user, 't', {t: {f: tree}, ou: node.owner})
  }
  ctx.emit(row.user, 's2', {n: node.handle, o: node.owner, u: row.user, r: row.access, ts: row.ts, ...(row.k ? {k: row.k} : {})})
  if (!row.k) ctx.emit(node.owner, 'k', {sr: [node.handle, row.user]}, {only: 'legacy'})
}

/** Ends the share of `node` with a user (handle or email) or a pending share with an email. */
function endUserShare(ctx: CommandContext, node: NodeRow, id: string): void {
  const {users, shares} = ctx.server
  const user = users.byHandleOrEmail(id)
  const row = (user && shares.share(node.handle, user.handle)) || shares.share(node.handle, id.toLowerCase())
  if (!row) fail(ApiCode.ENOENT, 'the folder is not shared with this user')
  endShare(ctx, node, row)
}

/**
 * Removes a share and tells both sides with an `s2` without `r` (SDK sc_shares: the sharee drops the tree, the
 * owner the share; `okd:1` when the folder's key went with its last share). A pending share only concerns its
 * owner, who knows it by its contact request (`p`).
 */
function endShare(ctx: CommandContext, node: NodeRow, row: ShareRow, ou = ctx.session?.user): void {
  const {shares} = ctx.server
  shares.removeShare(node.handle, row.user)
  const keyGone = shares.shareKey(node.handle) ? {} : {okd: 1}
  const origin = ou ? {ou} : {}
  if (row.pcr) {
    ctx.emit(node.owner, 's2', {n: node.handle, o: node.owner, p: row.pcr, ...keyGone, ...origin})
    return
  }
  ctx.emit(node.owner, 's2', {n: node.handle, o: node.owner, u: row.user, ...keyGone, ...origin})
  ctx.emit(row.user, 's2', {n: node.handle, o: node.owner, u: row.user, ...origin})
}

/**
 * A contact request was accepted: the pending shares it carried (from `owner` to the invitee's email) become
 * shares with the invitee. The owner gets `s2` with `op:1` (pending → full, SDK sc_shares `op`), the invitee the
 * folders (deliverShare, which asks the owner's client for the key when the share has none yet).
 */
export function promotePendingShares(ctx: CommandContext, request: ContactRequestRow, owner: UserRow, invitee: UserRow): void {
  const {nodes, shares} = ctx.server
  for (const pending of shares.pendingFor(request.handle)) {
    const node = nodes.get(pending.node)
    if (!node) continue
    shares.promote(pending.node, pending.user, invitee.handle)
    const row = shares.share(pending.node, invitee.handle)!
    ctx.emit(owner.handle, 's2', {n: node.handle, o: owner.handle, u: invitee.handle, r: row.access, ts: row.ts, p: request.handle, op: 1})
    deliverShare(ctx, node, row, true)
  }
}

/** A contact request was denied or cancelled: its pending shares go. */
export function dropPendingShares(ctx: CommandContext, request: ContactRequestRow): void {
  for (const pending of ctx.server.shares.pendingFor(request.handle)) {
    const node = ctx.server.nodes.get(pending.node)
    if (node) endShare(ctx, node, pending)
  }
}

/** Two users stopped being contacts: the folders either shared with the other are no longer shared. */
export function endSharesBetween(ctx: CommandContext, a: UserRow, b: UserRow): void {
  for (const [owner, sharee] of [[a, b], [b, a]]) {
    for (const row of ctx.server.shares.incoming(sharee.handle)) {
      const node = ctx.server.nodes.get(row.node)
      if (node?.owner === owner.handle) endShare(ctx, node, row)
    }
  }
}

/**
 * `k` (mega-api.md §6.3; SDK as of 2021): `sr:[share, user, key, …]` gives the server a sharee's copy of a share
 * key. From the owner, the key is MEGA-RSA-encrypted to that sharee (CommandShareKeyUpdate from
 * PubKeyActionSendShareKey), who gets it in an `s2 {n, k}` packet (sc_shares: "share key update on inbound
 * share"); from the sharee itself (its own handle), the same key under its master key, replacing the RSA one.
 * `nk:[node, key, …]` rewrites node keys under the caller's master key (CommandNodeKeyUpdate: the owner takes
 * back the nodes sharees made before the folder stops being shared, MegaClient::rewriteforeignkeys). `cr` adds
 * node keys under share keys (CommandKeyCR).
 */
function supplyKeys(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {nodes, shares} = ctx.server
  const sr = optArray(cmd, 'sr')
  const nk = optArray(cmd, 'nk')
  if (!sr && !nk && cmd.cr === undefined) fail(ApiCode.EARGS, 'nothing to do')
  for (let i = 0; i + 2 < (sr?.length ?? 0); i += 3) {
    const [handle, user, key] = sr!.slice(i, i + 3)
    if (typeof handle !== 'string' || typeof user !== 'string' || typeof key !== 'string' || !isB64(key)) fail(ApiCode.EARGS, 'malformed sr')
    const node = nodes.get(handle)
    const row = shares.share(handle, user)
    if (!node || !row || row.pcr !== null || (node.owner !== me && user !== me)) fail(ApiCode.ENOENT, 'no such share')
    shares.setRecipientKey(handle, user, key)
    if (user !== me) ctx.emit(user, 's2', {n: handle, k: key})
  }
  for (let i = 0; i + 1 < (nk?.length ?? 0); i += 2) {
    const [handle, key] = nk!.slice(i, i + 2)
    if (typeof key !== 'string' || !isB64(key)) fail(ApiCode.EARGS, 'malformed nk')
    const node = nodes.owned(handle, me)
    if (b64ToBuffer(key).length !== (node.type === NodeType.FILE ? 32 : 16)) fail(ApiCode.EKEY, 'bad node key')
    nodes.setOwnerKey(node.handle, key)
  }
  applyCryptoRequest(ctx, me, cmd.cr)
  return 0
}

/**
 * `pk`, the official SDK's pending keys (CommandPendingKeys, src/commands.cpp; MegaClient::sc_pk): the current SDK
 * keeps share keys in its encrypted ^!keys attribute and hands a sharee its key encrypted for it alone.
 *  - `{u, h, k}`: the owner of folder `h` sends `k` to user `u`; `u` gets a `pk` packet and fetches it → 0.
 *  - `{}`: the caller's keys, `{"<sender>":{"<share>":"<key>"},"d":"<last>"}`, or ENOENT when there are none
 *    (MegaClient::sc_pk reads any error as "no share keys").
 *  - `{d}`: the caller processed the keys up to `d` → 0.
 * The keys are opaque here: only the two clients can read them.
 */
function pendingKeys(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {shares, users} = ctx.server
  if (cmd.d !== undefined) {
    const upTo = decodeSn(optString(cmd, 'd'))
    if (upTo === null) fail(ApiCode.EARGS, 'bad d')
    shares.dropPendingKeys(me, upTo)
    return 0
  }
  if (cmd.u !== undefined) {
    const recipient = users.byHandle(reqString(cmd, 'u'))
    const node = nodeWithAccess(ctx.server, reqString(cmd, 'h'), me, Access.OWNER)
    const key = reqString(cmd, 'k')
    if (!recipient || !isB64(key)) fail(ApiCode.EARGS, 'bad pending key')
    shares.addPendingKey(me, recipient.handle, node.handle, key)
    ctx.emit(recipient.handle, 'pk', {})
    return 0
  }
  const pending = shares.pendingKeys(me)
  if (pending.length === 0) fail(ApiCode.ENOENT, 'no pending keys')
  const reply: Record<string, Record<string, string> | string> = {}
  for (const {sender, share, key} of pending) reply[sender] = {...(reply[sender] as Record<string, string> | undefined), [share]: key}
  reply.d = encodeSn(pending[pending.length - 1].id)
  return reply
}

/**
 * The folders shared with `user`, as its `f` carries them: each share's tree in the sharee's view, parents
 * first, a folder shared inside another one only once (under its parent), and the owners, whom `f.u` must name.
 */
export function inboundTree(server: ServerContext, user: string): {nodes: WireNode[]; owners: Set<string>} {
  const {nodes, shares} = server
  const owners = new Set<string>()
  const out: WireNode[] = []
  for (const share of shares.incoming(user)) {
    const root = nodes.get(share.node)
    if (!root || nodes.lineage(root).slice(1).some((a) => shares.share(a.handle, user)?.pcr === null)) continue
    owners.add(root.owner)
    const pairs = nodes.sharePairsOfOwner(root.owner)
    for (const node of nodes.visibleSubtree(root.handle)) out.push(wireNodeFor(server, node, user, pairs.get(node.handle)))
  }
  return {nodes: out, owners}
}

/** The owner's shares in `f` (SDK CommandFetchNodes: `s` and `ps` → readoutshares): {h, u, r, ts} and {h, p, r, ts}. */
export function shareLists(server: ServerContext, owner: string): {s: unknown[]; ps: unknown[]} {
  const rows = server.shares.sharesOfOwner(owner)
  return {
    s: rows.filter((r) => r.pcr === null).map((r) => ({h: r.node, u: r.user, r: r.access, ts: r.ts})),
    ps: rows.filter((r) => r.pcr !== null).map((r) => ({h: r.node, p: r.pcr, r: r.access, ts: r.ts})),
  }
}

/**
 * The shares a deletion of `node` ends for sharees other than `viewers` (who get a `d` for it): those of folders
 * at or below `node`, which such sharees saw only through that share.
 */
export function sharesEndedBy(server: ServerContext, node: NodeRow, viewers: readonly string[]): ShareRow[] {
  const ended: ShareRow[] = []
  for (const inside of server.nodes.visibleSubtree(node.handle)) {
    if (inside.type !== NodeType.FOLDER) continue
    for (const share of server.shares.sharesOfNode(inside.handle)) {
      if (share.pcr === null && share.user !== EXPORT_USER && !viewers.includes(share.user)) ended.push(share)
    }
  }
  return ended
}
