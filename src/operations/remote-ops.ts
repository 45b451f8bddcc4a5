import {randomBytes} from 'node:crypto'
import {encryptAttributes, type NodeAttributes} from '../crypto/attributes.js'
import {b64encode} from '../crypto/base64.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, ExitCode, MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {decodeNode, type RawNode} from '../tree/node-decoder.js'
import {cryptoRequestForNewNodes} from './crypto-request.js'
import {isInShareRoot, requireAccess, treeOwner, ownerEmail} from './share-access.js'
import {ShareAccess} from '../store/share-store.js'
import {type MegaNode, NodeType} from '../tree/node.js'

/**
 * Changes to the remote tree. Each sends one API command and applies its effect to the cache at once, so
 * the next command sees it even before the matching action packet arrives (packets are idempotent). The cache
 * write goes through recordChange(): once the server has accepted a change, a busy cache must not turn it into
 * a reported failure. In a folder another user shares with us, each first checks the share allows it
 * (share-access.ts).
 */

/** A new node for `p` (mega-api.md §4.3): `h` is a placeholder for folders, the upload token for files. */
export interface NewNode {
  h: string
  t: NodeType.FILE | NodeType.FOLDER
  a: string
  k: string
  p?: string
  /** A file this one replaces; the server keeps it as a version of the new file (mega-api.md §4.3). */
  ov?: string
  /** File attributes already stored (thumbnail, preview): `0*<handle>/1*<handle>` (mega-api.md §4.8). */
  fa?: string
}

/**
 * The file of a public file link, imported by its public handle (mega-api.md §4.3; megajs importFile, SDK
 * NEW_PUBLIC): `ov` names a same-named file it replaces (kept as a version), as the SDK's import does.
 */
export interface LinkedFileNode {
  ph: string
  t: NodeType.FILE
  a: string
  k: string
  ov?: string
}

/**
 * Creates nodes under `parent` with `p`; returns them decoded and cached. Inside a shared or exported
 * folder the request carries `cr` with the new keys under the share key (mega-api.md §2.7, §4.3).
 */
export async function putNodes(ctx: MegaContext, parent: MegaNode, nodes: Array<NewNode | LinkedFileNode>): Promise<MegaNode[]> {
  const masterKey = ctx.requireWritable()
  requireAccess(ctx, parent, ShareAccess.READWRITE)
  const named = nodes.map((node) => ({h: 'ph' in node ? node.ph : node.h, k: node.k}))
  const cr = cryptoRequestForNewNodes(ctx, parent, named, masterKey)
  const reply = await ctx.api.request<{f: RawNode[]}>({a: 'p', t: parent.handle, n: nodes, ...(cr ? {cr} : {})})
  const created = (reply.f ?? []).map((raw) => decodeNode(raw, ctx.keyring))
  await ctx.recordChange(() => created.forEach((node) => ctx.nodes.upsert(node)))
  return created
}

/**
 * A folder node description with a fresh random key (megajs mkdir, go-mega CreateDir). Attributes beyond the name
 * (custom `_NAME` ones) go in the same block, so the folder never exists without them.
 */
export function newFolder(ctx: MegaContext, name: string, placeholder: string, attrs: NodeAttributes = {}): NewNode {
  const key = randomBytes(16)
  return {h: placeholder, t: NodeType.FOLDER, a: encryptAttributes(key, {...attrs, n: name}), k: encryptNodeKey(ctx.requireWritable(), key)}
}

/** A folder to create, with the folders to create inside it. */
export interface FolderTree {
  name: string
  folders: FolderTree[]
  /** Attributes besides the name, set at creation. */
  attrs?: NodeAttributes
}

/**
 * Creates a whole folder tree under `parent` in one `p`, each new folder naming its parent's placeholder
 * handle (mega-api.md §4.3). Returns the node made for each folder of the tree.
 */
export async function createFolderTree(ctx: MegaContext, parent: MegaNode, tree: FolderTree): Promise<Map<FolderTree, MegaNode>> {
  const batch: NewNode[] = []
  const order: FolderTree[] = []
  const add = (folder: FolderTree, parentRef?: string) => {
    // The SDK sends a random 6-byte handle as the placeholder (mega-api.md §4.3).
    const ref = b64encode(randomBytes(6))
    batch.push({...newFolder(ctx, folder.name, ref, folder.attrs), ...(parentRef ? {p: parentRef} : {})})
    order.push(folder)
    for (const sub of folder.folders) add(sub, ref)
  }
  add(tree)
  const created = await putNodes(ctx, parent, batch)
  if (created.length !== batch.length) throw new CommandError('The server did not create every folder', ExitCode.EUNEXPECTED)
  return new Map(order.map((folder, i) => [folder, created[i]]))
}

/** Creates `names[0]/names[1]/…` under `parent` in one request; returns the new folders, outermost first. */
export async function createFolderPath(ctx: MegaContext, parent: MegaNode, names: string[]): Promise<MegaNode[]> {
  if (names.length === 0) return []
  let tree: FolderTree = {name: names[names.length - 1], folders: []}
  for (let i = names.length - 2; i >= 0; i--) tree = {name: names[i], folders: [tree]}
  return [...(await createFolderTree(ctx, parent, tree)).values()]
}

/**
 * Moves with `m` (mega-api.md §4.4); -10 when moving a folder into its own subtree. A node stays in its owner's
 * tree: the top of a folder shared with us cannot move, nor can anything move between our folders and another
 * user's (the SDK copies and deletes then, MegaApiImpl::moveNode).
 */
export async function moveNode(ctx: MegaContext, node: MegaNode, target: MegaNode): Promise<void> {
  ctx.requireWritable()
  if (isInShareRoot(ctx, node)) throw new CommandError(`Access denied: "${node.name}" is the top of a folder shared with you; it cannot be moved`, ExitCode.NOTPERMITTED)
  requireAccess(ctx, node, ShareAccess.FULL)
  requireAccess(ctx, target, ShareAccess.READWRITE)
  const [from, to] = [treeOwner(ctx, node), treeOwner(ctx, target)]
  if (from !== to) {
    const other = ownerEmail(ctx, (from ?? to)!)
    throw new CommandError(`Cannot move "${node.name}" between your folders and those ${other} shares with you: copy it, then delete it`, ExitCode.NOTPERMITTED)
  }
  await ctx.api.request({a: 'm', n: node.handle, t: target.handle})
  await ctx.recordChange(() => ctx.nodes.setParent(node.handle, target.handle))
}

/** The largest encrypted attribute block a client sends (SDK MAX_NODE_ATTRIBUTE_SIZE, MegaClient::setattr). */
const MAX_ATTRIBUTES_SIZE = 64 * 1024

/**
 * Rewrites a node's attributes with `a` (mega-api.md §4.6): renames, custom attributes. A block over the SDK's
 * limit is refused before sending, as the SDK does (EARGS).
 */
export async function setAttributes(ctx: MegaContext, node: MegaNode, attrs: NodeAttributes): Promise<MegaNode> {
  ctx.requireWritable()
  requireAccess(ctx, node, ShareAccess.FULL)
  if (!node.key) throw new CommandError(`Cannot change ${node.name}: its key is unknown`, 14)
  const at = encryptAttributes(foldKey(node.key), attrs)
  if (at.length > MAX_ATTRIBUTES_SIZE) throw new MegaError(-2)
  await ctx.api.request({a: 'a', n: node.handle, at})
  const updated = {...node, attrs, name: typeof attrs.n === 'string' ? attrs.n : node.name}
  await ctx.recordChange(() => ctx.nodes.upsert(updated))
  return updated
}

export function renameNode(ctx: MegaContext, node: MegaNode, name: string): Promise<MegaNode> {
  return setAttributes(ctx, node, {...node.attrs, n: name})
}

/**
/**
 * Deletes for good with `d` (MEGAcmd's rm does not use the rubbish bin; mega-api.md §4.5). On the top of a folder
 * another user shares with us, `d` leaves the share, whatever its access (SDK MegaClient::unlink), and the
 * folder stays the owner's. An old version is removed alone, as MEGAcmd's deleteNode does with
 * MegaApi::removeVersion when the parent is a file (megacmdexecuter.cpp): the SDK's unlink with keepversions, `d`
 * with `v:1` (CommandDelNode, src/commands.cpp), after which its older versions hang from its newer one; a plain
 * `d` would take them all.
 */
export async function deleteNode(ctx: MegaContext, node: MegaNode): Promise<void> {
  ctx.requireWritable()
  const leaving = isInShareRoot(ctx, node)
  if (!leaving) requireAccess(ctx, node, ShareAccess.FULL)
  const version = ctx.nodes.isVersion(node)
  await ctx.api.request(version ? {a: 'd', n: node.handle, v: 1} : {a: 'd', n: node.handle})
  await ctx.recordChange(() => {
    // Read at write time: versions of one chain removed together each relink what is left of it.
    const current = ctx.nodes.get(node.handle)
    const older = version ? ctx.nodes.versionsOf(node.handle)[0] : undefined
    if (older && current?.parent) ctx.nodes.setParent(older.handle, current.parent)
    ctx.nodes.deleteTree(node.handle)
    if (!leaving) return
    ctx.shares.removeInShare(node.handle)
    ctx.nodes.deleteShareKey(node.handle)
  })
}

/** Deletes every old version of every file of the account with `dv` (MegaApi::removeVersions, CommandDelVersions). */
export async function deleteAllVersions(ctx: MegaContext): Promise<void> {
  ctx.requireWritable()
  await ctx.api.request({a: 'dv'})
  await ctx.recordChange(() => {
    for (const version of ctx.nodes.newestVersions()) ctx.nodes.deleteTree(version.handle)
  })
}
