import {randomBytes} from 'node:crypto'
import {encryptAttributes, type NodeAttributes} from '../crypto/attributes.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {decodeNode, type RawNode} from '../tree/node-decoder.js'
import {cryptoRequestForNewNodes} from './crypto-request.js'
import {type MegaNode, NodeType} from '../tree/node.js'

/**
 * Changes to the remote tree. Each sends one API command and applies its effect to the cache at once, so
 * the next command sees it even before the matching action packet arrives (packets are idempotent).
 */

/** A new node for `p` (mega-api.md §4.3): `h` is a placeholder for folders, the upload token for files. */
export interface NewNode {
  h: string
  t: NodeType.FILE | NodeType.FOLDER
  a: string
  k: string
  p?: string
}

/**
 * Creates nodes under `parent` with `p`; returns them decoded and cached. Inside a shared or exported
 * folder the request carries `cr` with the new keys under the share key (mega-api.md §2.7, §4.3).
 */
export async function putNodes(ctx: MegaContext, parent: MegaNode, nodes: NewNode[]): Promise<MegaNode[]> {
  const cr = cryptoRequestForNewNodes(ctx, parent, nodes, ctx.requireWritable())
  const reply = await ctx.api.request<{f: RawNode[]}>({a: 'p', t: parent.handle, n: nodes, ...(cr ? {cr} : {})})
  const created = (reply.f ?? []).map((raw) => decodeNode(raw, ctx.keyring))
  ctx.nodes.transaction(() => created.forEach((node) => ctx.nodes.upsert(node)))
  return created
}

/** A folder node description with a fresh random key (megajs mkdir, go-mega CreateDir). */
export function newFolder(ctx: MegaContext, name: string, placeholder = 'xxxxxxxx'): NewNode {
  const key = randomBytes(16)
  return {h: placeholder, t: NodeType.FOLDER, a: encryptAttributes(key, {n: name}), k: encryptNodeKey(ctx.requireWritable(), key)}
}

export async function createFolder(ctx: MegaContext, parent: MegaNode, name: string): Promise<MegaNode> {
  const [node] = await putNodes(ctx, parent, [newFolder(ctx, name)])
  if (!node) throw new MegaError(-1, 'the server created no folder')
  return node
}

/** Moves with `m` (mega-api.md §4.4); -10 when moving a folder into its own subtree. */
export async function moveNode(ctx: MegaContext, node: MegaNode, target: MegaNode): Promise<void> {
  ctx.requireWritable()
  await ctx.api.request({a: 'm', n: node.handle, t: target.handle})
  ctx.nodes.setParent(node.handle, target.handle)
}

/** Renames by rewriting the attributes with `a` (mega-api.md §4.6); other attributes are kept. */
export async function setAttributes(ctx: MegaContext, node: MegaNode, attrs: NodeAttributes): Promise<MegaNode> {
  ctx.requireWritable()
  if (!node.key) throw new CommandError(`Cannot change ${node.name}: its key is unknown`, 14)
  await ctx.api.request({a: 'a', n: node.handle, at: encryptAttributes(foldKey(node.key), attrs)})
  const updated = {...node, attrs, name: typeof attrs.n === 'string' ? attrs.n : node.name}
  ctx.nodes.upsert(updated)
  return updated
}

export function renameNode(ctx: MegaContext, node: MegaNode, name: string): Promise<MegaNode> {
  return setAttributes(ctx, node, {...node.attrs, n: name})
}

/** Deletes for good with `d` (MEGAcmd's rm does not use the rubbish bin; mega-api.md §4.5). */
export async function deleteNode(ctx: MegaContext, node: MegaNode): Promise<void> {
  ctx.requireWritable()
  await ctx.api.request({a: 'd', n: node.handle})
  ctx.nodes.deleteTree(node.handle)
}
