import {ApiCode, fail} from '../protocol/api-error.js'
import {b64ToBuffer, flag, isB64, isRecord, optArray, optNumber, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {normaliseFaField} from '../protocol/fa-field.js'
import {encodeSn, newNodeHandle, nowSeconds} from '../protocol/handles.js'
import {StreamedJson} from '../protocol/streamed-json.js'
import {nodeCreator, ownerWireNode, toWireNode, type WireNode} from '../protocol/wire-node.js'
import {isExpired, linkFields} from '../stores/link-store.js'
import {NodeType, type NodeRow} from '../stores/node-store.js'
import {Access} from '../stores/share-store.js'
import {TreeSnapshot} from '../stores/tree-snapshot.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {contactLists} from './contacts.js'
import {applyCryptoRequest} from './crypto-request.js'
import {accessLevel, nodeWithAccess, viewersOf, wireNodeFor} from './node-access.js'
import {inboundTree, shareLists, sharesEndedBy} from './shares.js'

/** The node tree: f (fetch), p (create), m (move), d (delete), a (attributes), dv (drop versions). */
export const nodeCommands: CommandTable = {
  f: {auth: 'link', run: fetchNodes},
  p: {auth: 'session', run: putNodes},
  m: {auth: 'session', run: moveNode},
  d: {auth: 'session', run: deleteNode},
  a: {auth: 'session', run: setAttributes},
  dv: {auth: 'session', run: deleteVersions},
}

/**
 * `f` (mega-api.md §4.2). Logged in: the visible tree parents first (root, inbox, rubbish bin, then
 * breadth-first), then the folders others share with the account (shares.ts inboundTree), versions only in `f2`,
 * `ok` (megajs calls response.ok.reduce, so always present; `ok0` repeats it for the current SDK), outgoing shares
 * `s` and pending ones `ps`, the own user and contacts in `u` with the pending contact requests `ipc`/`opc`
 * (§6.4), public links `ph`, and `sn` as a string. Folder link (`&n=`): the exported folder first, every node
 * keyed `<shareRootHandle>:<key>`, and no `sn` — megajs would otherwise start an `sc` loop on whatever API object
 * loaded the link.
 */
function fetchNodes(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const {nodes, links, shares, users, events} = ctx.server
  if (ctx.folder) {
    const root = ctx.folder.root
    const pairs = nodes.sharePairsOfOwner(root.owner)
    const f = nodes.visibleSubtree(root.handle).map((node) => {
      const pair = pairs.get(node.handle)?.find((p) => p.share === root.handle)
      return toWireNode(node, pair ? `${root.handle}:${pair.key}` : '')
    })
    // The SDK's folder session needs `sn` too: without it the fetch fails (CommandFetchNodes::parsingFinished,
    // src/commands.cpp: no scsn, API_EINTERNAL) and then polls `wsc` with `&n=` from it (sdk-event-channel.ts).
    return ctx.dialect === 'sdk' ? {f, ok: [], s: [], u: [], sn: encodeSn(events.currentSeq())} : {f, ok: [], s: [], u: []}
  }
  const session = requireSession(ctx)
  const user = users.byHandle(session.user)
  if (!user) fail(ApiCode.ESID)
  // The own tree streams from a snapshot taken now, with everything else read now too (tree-snapshot.ts).
  const snapshot = new TreeSnapshot(ctx.server.db)
  try {
    const pairs = nodes.sharePairsOfOwner(user.handle)
    const inbound = inboundTree(ctx.server, user.handle)
    const f2 = nodes.versions(user.handle).map((n) => ownerWireNode(n, pairs.get(n.handle)))
    const ok = shares.shareKeysOfOwner(user.handle).map((s) => ({h: s.node, k: s.ok, ha: s.ha}))
    const ph = links.ofOwner(user.handle).map((l) => ({h: l.node, ph: l.ph, ...linkFields(l)}))
    const contacts = contactLists(ctx, user, inbound.owners)
    const rest = {f2, ok, ok0: ok, ...shareLists(ctx.server, user.handle), ...contacts, ph, sn: encodeSn(events.currentSeq())}
    return StreamedJson.objectWithArray('f', function* () {
      for (const node of snapshot.visibleTree(user.handle)) yield JSON.stringify(ownerWireNode(node, pairs.get(node.handle)))
      for (const node of inbound.nodes) yield JSON.stringify(node)
    }, rest, () => snapshot.close())
  } catch (error) {
    snapshot.close()
    throw error
  }
}

/**
 * `p` (mega-api.md §4.3). Each new node is one of:
 *  - a folder (`t:1`; `h` is a placeholder other nodes of the same request may name as their `p`);
 *  - an upload: `h` is the completion token, 36 chars as go-mega sends it or 48 (its b64) from the others;
 *  - a copy: `h` names an existing node of the caller, or one inside an exported folder or file link (the SDK
 *    imports folder links this way); the copy shares the file's ciphertext. The SDK copies a file with its
 *    versions (MegaClient::proctree without skipversions, MegaApiImpl::copyTreeFromOwnedNode): a copied file whose
 *    `p` is a file copied earlier in the same request is a version of that copy, and stays out of what the legacy
 *    dialect sees, as versions do in `f`;
 *  - a link import: `ph` names a public file link (megajs importFile).
 * `fa` ("0*h/1*h") gets the numeric cluster prefix; `ov` replaces a file, keeping it as a version unless
 * `vb:0`. Reply {f:[new nodes]} with `k` as `<me>:<key>`; a `t` packet tells the other sessions.
 *
 * The SDK dialect learns the new nodes only from that `t` packet. It carries the command's sequence tag, so the SDK
 * applies it before it completes the request (without the tag, MEGAcmd's `mkdir -p` looked for the new folder too
 * early: "Couldn't get node for created subfolder"), and each node has `i`, its index in the request's `n`: only
 * that links a node to its request (MegaClient::readnode, src/megaclient.cpp, `nni`), whose new handle
 * MegaApiImpl::putnodes_result and the "My backups" folder setup read from `nn[…].mAddedHandle`. The reply itself
 * is `{}` (sent as `["<st>",{}]`): CommandPutNodes::procresult (src/commands.cpp) reads only `e` and `fh` there.
 */
function putNodes(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {server} = ctx
  const {nodes} = server
  const targetRef = reqString(cmd, 't')
  const delivery = isUserRef(targetRef)
  const target = delivery ? recipientInbox(ctx, targetRef, me) : nodeWithAccess(server, targetRef, me, Access.READWRITE)
  if (target.type === NodeType.FILE) fail(ApiCode.EARGS, 'target is a file')
  const items = optArray(cmd, 'n')
  if (!items || items.length === 0) fail(ApiCode.EARGS, 'missing n')
  // New nodes join the target's tree: they belong to its owner, and a sharee writing there is their creator.
  // Nodes delivered to an inbox are the recipient's alone: their keys are encrypted to it.
  const owner = target.owner
  const creator = me === owner || delivery ? null : me

  const placeholders = new Map<string, NodeRow>()
  const created: NodeRow[] = []
  const replaced: Array<{handle: string; kept: boolean}> = []
  const now = nowSeconds()
  const copiedVersions = new Set<string>()
  for (const item of items) {
    if (!isRecord(item)) fail(ApiCode.EARGS, 'malformed node')
    const parentRef = optString(item, 'p')
    const parentNode = parentRef ? placeholders.get(parentRef) ?? nodeWithAccess(server, parentRef, me, Access.READWRITE) : target
    const content = newNodeContent(item, me, ctx)
    // A node under a file would be a version; versions are made through `ov`, or copied along with their file.
    const versionCopy = parentNode.type === NodeType.FILE && content.copied && content.type === NodeType.FILE && placeholders.get(parentRef!) === parentNode
    if (parentNode.type === NodeType.FILE && !versionCopy) fail(ApiCode.EARGS, 'parent is a file')
    if (parentNode.owner !== owner) fail(ApiCode.EARGS, 'the new nodes of one request go into one tree')
    const parent = parentNode.handle
    const k = reqString(item, 'k')
    if (!isB64(k) || !validNodeKey(b64ToBuffer(k).length, content.type, delivery)) fail(ApiCode.EKEY, 'bad node key')
    const row: NodeRow = {
      handle: newUniqueHandle(ctx), owner, parent, type: content.type, attrs: optString(item, 'a') ?? '', key: k,
      size: content.size, ts: now, fa: normaliseFaField(item.fa) ?? content.fa, blob: content.blob, creator,
    }
    nodes.insert(row)
    created.push(row)
    if (versionCopy) copiedVersions.add(row.handle)
    const ref = optString(item, 'h') ?? optString(item, 'ph')
    if (ref) placeholders.set(ref, row)
    const ov = optString(item, 'ov')
    if (ov && row.type === NodeType.FILE) {
      const kept = optNumber(cmd, 'vb') !== 0
      // Dropping the replaced file deletes it, which a share gives only with full access.
      const old = nodeWithAccess(server, ov, me, kept ? Access.READWRITE : Access.FULL)
      if (old.type !== NodeType.FILE) fail(ApiCode.EARGS, 'ov is not a file')
      if (old.owner !== owner) fail(ApiCode.EARGS, 'ov is in another tree')
      if (nodes.isVersion(old)) fail(ApiCode.EARGS, 'ov is already a version')
      if (kept) {
        nodes.setParent(old.handle, row.handle)
      } else {
        const {orphanBlobs} = nodes.deleteSubtree(old.handle)
        ctx.afterCommit(() => server.blobs.remove(orphanBlobs))
      }
      replaced.push({handle: old.handle, kept})
    }
  }
  applyCryptoRequest(ctx, me, cmd.cr, (h) => placeholders.get(h)?.handle ?? h, created.map((n) => n.handle))

  // Everyone who sees the target hears of the new nodes, each in its own view of their keys (node-access.ts).
  // The SDK keeps old versions as children of their file, as `f2` gives them at a reload: a replaced file that
  // stays as a version comes in the same `t`, under its new file (readnode re-parents a known node). For the
  // other clients it leaves the visible tree with one `d` (megajs would crash on a `t` whose parent is a file,
  // mega-api.md §4.2), and the SDK gets no such `d`. Copied versions likewise reach only the SDK.
  let mine: WireNode[] = []
  for (const viewer of viewersOf(server, target)) {
    const all = created.map((n) => wireNodeFor(server, n, viewer))
    const wire = all.filter((node) => !copiedVersions.has(node.h))
    if (viewer === me) mine = wire
    const versions = replaced.filter((r) => r.kept).map((r) => wireNodeFor(server, nodes.get(r.handle)!, viewer))
    const sdkTree = {f: [...all.map((node, i) => ({...node, i})), ...versions]}
    ctx.emit(viewer, 't', {t: {f: wire}, ou: me}, {sdkFields: {t: sdkTree, ou: me}})
    for (const {handle, kept} of replaced) ctx.emit(viewer, 'd', {n: handle, ou: me}, kept ? {only: 'legacy'} : {})
  }
  return ctx.dialect === 'sdk' ? {} : {f: mine}
}

/** `t` of `p` names a user, by 11-char handle or email, rather than a node (8 chars): a delivery to its inbox. */
function isUserRef(ref: string): boolean {
  return ref.includes('@') || ref.length === 11
}

/**
 * The inbox (type 3) of the user a `p` delivers to (mega-api.md §4.3; SDK MegaClient::putnodes(user) →
 * PubKeyActionPutNodes → CommandPutNodes with `t` = the user's uid, the node keys RSA-encrypted to it).
 * Unknown users are ENOENT. Only contacts may drop nodes into each other's inbox: the SDK checks nothing, so
 * EACCESS for anyone else is our guess at the server's rule (the clients only offer contacts).
 */
function recipientInbox(ctx: CommandContext, ref: string, me: string): NodeRow {
  const {users, contacts, nodes} = ctx.server
  const user = users.byHandleOrEmail(ref)
  if (!user || !user.confirmed) fail(ApiCode.ENOENT, 'no such user')
  if (user.handle === me) fail(ApiCode.EARGS, 'a delivery to oneself')
  if (!contacts.isContact(me, user.handle)) fail(ApiCode.EACCESS, 'deliveries go to contacts only')
  const inbox = nodes.rootOf(user.handle, NodeType.INBOX)
  if (!inbox) fail(ApiCode.ENOENT, 'no inbox')
  return inbox
}

/** 32 bytes for a file, 16 for a folder, encrypted with the master key; an RSA ciphertext (≥ 64 bytes) in a delivery. */
function validNodeKey(length: number, type: number, delivery: boolean): boolean {
  if (delivery) return length >= 64
  return length === (type === NodeType.FILE ? 32 : 16)
}

interface NodeContent {
  type: number
  size: number | null
  blob: string | null
  fa: string | null
  /** A copy of an existing node (`h` named one). */
  copied?: boolean
}

function newNodeContent(item: Record<string, unknown>, me: string, ctx: CommandContext): NodeContent {
  const {nodes, links, uploads} = ctx.server
  const type = optNumber(item, 't')
  const ph = optString(item, 'ph')
  if (ph) {
    const link = links.byPh(ph)
    const source = link ? nodes.get(link.node) : undefined
    if (!link || !source || source.type !== NodeType.FILE) fail(ApiCode.ENOENT, 'no such file link')
    if (isExpired(link)) fail(ApiCode.EEXPIRED, 'link expired')
    return fileContent(source)
  }
  if (type === NodeType.FOLDER) return {type: NodeType.FOLDER, size: null, blob: null, fa: null}
  const h = optString(item, 'h')
  if (!h) fail(ApiCode.EARGS, 'missing h')
  if (h.length === 36 || h.length === 48) {
    const token = h.length === 48 ? b64ToBuffer(h).toString('latin1') : h
    const upload = uploads.consume(me, token)
    return {type: NodeType.FILE, size: upload.size, blob: upload.blob, fa: null}
  }
  const source = nodes.get(h)
  if (!source || !canCopy(source, me, ctx)) fail(ApiCode.ENOENT, 'no such node to copy')
  if (source.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot copy a root node')
  // megajs copyTo sends t:0 whatever it copies (mega-api.md §8), so the source decides the type.
  return {...(source.type === NodeType.FILE ? fileContent(source) : {type: NodeType.FOLDER, size: null, blob: null, fa: null}), copied: true}
}

function fileContent(source: NodeRow): NodeContent {
  return {type: NodeType.FILE, size: source.size, blob: source.blob, fa: source.fa}
}

/**
 * Nodes the caller can read (its own, those of folders shared with it), and nodes anyone can read: under an
 * exported folder or behind a file link (mega-api.md §4.3).
 */
function canCopy(source: NodeRow, me: string, ctx: CommandContext): boolean {
  if (accessLevel(ctx.server, me, source) >= Access.READ) return true
  const {nodes, links} = ctx.server
  for (let cur: NodeRow | undefined = source; cur; cur = cur.parent ? nodes.get(cur.parent) : undefined) {
    const link = links.byNode(cur.handle)
    if (link && !isExpired(link) && (cur.type !== NodeType.FILE || cur === source)) return true
  }
  return false
}

function newUniqueHandle(ctx: CommandContext): string {
  for (;;) {
    const handle = newNodeHandle()
    if (!ctx.server.nodes.get(handle)) return handle
  }
}

/**
 * `m` (mega-api.md §4.4): ECIRCULAR into its own subtree. Packets: a `d` with `m:1` then a `t` carrying the
 * node and its whole visible subtree at the new place, in one batch. megajs pairs them (the `t` un-marks the
 * `d`); go-mega forgets the node on `d` and re-adds what the `t` carries, so the subtree must be in it, and so
 * must the SDK (TreeProcDel marks the whole subtree removed, src/treeproc.cpp; readnode revives what `t` re-sends).
 * In the SDK dialect only the `d` carries the sequence tag, as MEGA's servers do: the SDK still counts the untagged
 * `t` after a `d` with `m:1` as part of the move (comment in the CommandMoveNode constructor and
 * MegaClient::sc_checkActionPacketWithoutSt, src/megaclient.cpp). A version has no `d`, so there the `t` has it.
 * Sharees of the folders it leaves or enters get a removal or the new nodes instead.
 */
function moveNode(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {server} = ctx
  const {nodes} = server
  const node = nodeWithAccess(server, reqString(cmd, 'n'), me, Access.READ)
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot move a root node')
  // Moving takes full access where the node is (SDK MegaClient::checkmove: FULL on its parent) and write access
  // where it goes. The top of a folder shared with the caller has no parent the caller may change.
  if (node.owner !== me && (!node.parent || isShareRootOf(ctx, node, me) || accessLevel(server, me, nodes.get(node.parent)!) < Access.FULL)) {
    fail(ApiCode.EACCESS, 'moving needs full access')
  }
  const target = nodeWithAccess(server, reqString(cmd, 't'), me, Access.READWRITE)
  if (target.type === NodeType.FILE) fail(ApiCode.EARGS, 'target is a file')
  // A node never changes hands: between two accounts' trees the SDK copies and deletes (MegaApiImpl::moveNode).
  if (target.owner !== node.owner) fail(ApiCode.EACCESS, 'cannot move into another account\'s tree')
  if (nodes.isWithin(target, node.handle)) fail(ApiCode.ECIRCULAR, 'cannot move a folder into itself')
  const wasVersion = nodes.isVersion(node)
  const before = viewersOf(server, node)
  nodes.setParent(node.handle, target.handle)
  applyCryptoRequest(ctx, me, cmd.cr)
  const moved = nodes.get(node.handle)!
  const after = viewersOf(server, moved)
  const subtree = nodes.visibleSubtree(node.handle)
  // Who saw it before and still does gets the move; who no longer sees it, a removal; who now sees it, the nodes.
  // A sharee whose shared folder is the node itself sees no change: where it sits is not part of its view.
  for (const viewer of new Set([...before, ...after])) {
    if (isShareRootOf(ctx, moved, viewer)) continue
    const stays = before.includes(viewer) && after.includes(viewer)
    if (before.includes(viewer) && !wasVersion) ctx.emit(viewer, 'd', {n: node.handle, ...(stays ? {m: 1} : {}), ou: me})
    if (after.includes(viewer)) {
      ctx.emit(viewer, 't', {t: {f: subtree.map((n) => wireNodeFor(server, n, viewer))}, ou: me}, {untagged: stays && !wasVersion})
    }
  }
  return 0
}

/** True when `node` is the top of a folder shared with `viewer` (someone else's). */
function isShareRootOf(ctx: CommandContext, node: NodeRow, viewer: string): boolean {
  return viewer !== node.owner && ctx.server.shares.share(node.handle, viewer)?.pcr === null
}

/**
 * `d` (mega-api.md §4.5): removes the subtree, versions included, and answers `0`. Exactly one `d` packet,
 * for `n`: megajs crashes on a `d` for a handle it does not know, so for a version (never sent to those clients
 * in `f`) only SDK-dialect readers get it; the SDK keeps versions under their file (`f2`).
 * `v:1` on a file (the SDK's "keep versions", CommandDelNode and MegaClient::unlink, src/commands.cpp and
 * src/megaclient.cpp; MEGAcmd `deleteversions` removes one version at a time that way) removes only that file:
 * its older version takes its place. The `d` made the SDK drop the whole subtree (TreeProcDel, src/treeproc.cpp),
 * so a `t` brings the older version back with its own versions; the other clients see it only when it becomes the
 * visible file.
 *
 * Inside a shared folder deleting takes full access. A sharee deleting the top of a folder shared with it leaves
 * the share instead (MegaClient::unlink lets the SDK send `d` for an inbound share root whatever its access).
 * Sharees who saw the subtree only through a share inside it lose that share (shares.ts sharesEndedBy).
 */
function deleteNode(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {server} = ctx
  const {nodes, blobs} = server
  const node = nodeWithAccess(server, reqString(cmd, 'n'), me, Access.READ)
  if (isShareRootOf(ctx, node, me)) return leaveShare(ctx, node, me)
  if (accessLevel(server, me, node) < Access.FULL) fail(ApiCode.EACCESS, 'deleting needs full access')
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot delete a root node')
  const version = nodes.isVersion(node)
  const parent = nodes.get(node.parent!)!
  const viewers = viewersOf(server, parent)
  const ended = sharesEndedBy(server, node, viewers)
  const older = flag(cmd, 'v') && node.type === NodeType.FILE ? nodes.children(node.handle) : []
  for (const child of older) nodes.setParent(child.handle, node.parent!)
  const {orphanBlobs} = nodes.deleteSubtree(node.handle)
  ctx.afterCommit(() => blobs.remove(orphanBlobs))
  for (const viewer of viewers) {
    ctx.emit(viewer, 'd', {n: node.handle, ou: me}, version ? {only: 'sdk'} : {})
    const wire = (rows: NodeRow[]) => rows.map((n) => wireNodeFor(server, n, viewer))
    for (const child of older) {
      const sdkFields = {t: {f: wire(nodes.subtree(child.handle))}, ou: me}
      ctx.emit(viewer, 't', {t: {f: wire(nodes.visibleSubtree(child.handle))}, ou: me}, version ? {sdkFields, only: 'sdk'} : {sdkFields})
    }
  }
  for (const share of ended) ctx.emit(share.user, 's2', {n: share.node, o: node.owner, u: share.user, ou: me})
  return 0
}

/** A sharee leaves a folder shared with it: the share ends for both sides (`s2` without `r`, SDK sc_shares). */
function leaveShare(ctx: CommandContext, root: NodeRow, me: string): unknown {
  ctx.server.shares.removeShare(root.handle, me)
  const packet = {n: root.handle, o: root.owner, u: me, ou: me}
  ctx.emit(me, 's2', packet)
  ctx.emit(root.owner, 's2', packet)
  return 0
}

/**
 * `dv`: deletes every old version of every file of the account (SDK CommandDelVersions); SDK-dialect readers
 * get a `d` for each, as for `d` on a version.
 */
function deleteVersions(_cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const {nodes, blobs} = ctx.server
  for (const version of nodes.versions(owner)) {
    if (!nodes.get(version.handle)) continue
    const {orphanBlobs} = nodes.deleteSubtree(version.handle)
    ctx.afterCommit(() => blobs.remove(orphanBlobs))
    ctx.emit(owner, 'd', {n: version.handle, ou: owner}, {only: 'sdk'})
  }
  return 0
}

/**
 * `a` (mega-api.md §4.6): megajs and the SDK send `at`, go-mega `attr` (+ `key`, which repeats the node key
 * and is ignored). A `u` packet {n, u, at, ts} follows, to everyone who sees the node.
 */
function setAttributes(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {server} = ctx
  // Renaming (and any attribute) inside a shared folder takes full access (SDK MegaClient::setattr).
  const node = nodeWithAccess(server, reqString(cmd, 'n'), me, Access.FULL)
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot change a root node')
  const at = optString(cmd, 'at') ?? optString(cmd, 'attr')
  if (!at || !isB64(at)) fail(ApiCode.EARGS, 'missing at')
  server.nodes.setAttrs(node.handle, at)
  for (const viewer of viewersOf(server, node)) ctx.emit(viewer, 'u', {n: node.handle, u: nodeCreator(node), at, ts: node.ts})
  return 0
}
