import {randomBytes} from 'node:crypto'
import {aesEcbDecrypt, aesEcbEncrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {handleAuth} from '../crypto/share-key.js'
import {CommandError, ExitCode, MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, type NodeLink, NodeType} from '../tree/node.js'
import {compareSiblings} from '../tree/sibling-order.js'
import {cryptoRequestForShare} from './crypto-request.js'
import {publicLinkUrl} from './public-link.js'

/** The pseudo-user a folder is shared with to export it (mega-api.md §6.1; megajs shareFolder, SDK setshare). */
const EXPORT_USER = 'EXP'

/** What `export -a` asks for: an expiry (unix seconds) and, for a folder, write access. */
export interface ExportSettings {
  expires?: number
  writable?: boolean
}

/** `l`'s answer: the public handle, or `{ph, w}` for a writable folder link (mega-api.md §6.1). */
type SetLinkReply = string | {ph: string; w: string}

/**
 * The key a node's link carries: a file's own key, a folder's share key (mega-api.md §5.4). Undefined when the
 * cache does not have it (a folder exported by another client whose share key has not reached us).
 */
export function linkKey(ctx: Pick<MegaContext, 'nodes'>, node: MegaNode): Buffer | undefined {
  if (node.type === NodeType.FILE) return node.key ?? undefined
  return ctx.nodes.shareKey(node.handle)
}

/**
 * The URL of an exported node, `https://mega.nz/file/<ph>#<key>`, or undefined when it is not exported. When the
 * cache lacks the key it ends at the '#', as the SDK's getPublicLink does without one (MegaClient::publicLinkURL).
 */
export function exportedLinkUrl(ctx: Pick<MegaContext, 'nodes'>, node: MegaNode): string | undefined {
  if (!node.link) return undefined
  const type = node.type === NodeType.FILE ? 'file' : 'folder'
  return publicLinkUrl({type, handle: node.link.ph, key: linkKey(ctx, node) ?? Buffer.alloc(0)})
}

/**
 * Makes a public link for a file or folder, as the SDK's exportnode does (MegaClient::exportnode,
 * src/megaclient.cpp): a folder is first shared with the EXP pseudo-user under a share key (full access when
 * the link is writable), then `l` asks for the link with its expiry `ets` and `w`. The cache learns the link at
 * once, so the next command lists it. Returns the node as it now is.
 */
export async function exportNode(ctx: MegaContext, node: MegaNode, settings: ExportSettings = {}): Promise<MegaNode> {
  const masterKey = ctx.requireWritable()
  if (node.type !== NodeType.FILE && node.type !== NodeType.FOLDER) throw new CommandError('The root folder cannot be exported', ExitCode.NOTPERMITTED)
  if (node.type === NodeType.FILE && !node.key) throw new MegaError(-14, `Cannot export ${node.name}: its key is unknown`)
  if (node.type === NodeType.FOLDER) await shareForExport(ctx, node, masterKey, settings.writable === true)
  const reply = await ctx.api.request<SetLinkReply>({
    a: 'l', n: node.handle, ...(settings.expires ? {ets: settings.expires} : {}), ...(settings.writable ? {w: '1'} : {}),
  })
  const ph = typeof reply === 'string' ? reply : reply?.ph
  if (typeof ph !== 'string' || ph.length !== 8) throw new CommandError('The server answered the export without a public handle', ExitCode.EUNEXPECTED)
  const link: NodeLink = {
    ph, created: Math.floor(Date.now() / 1000), expires: settings.expires ?? null,
    authKey: typeof reply === 'object' && typeof reply.w === 'string' ? reply.w : null,
  }
  await ctx.recordChange(() => ctx.nodes.setLink(node.handle, link))
  return {...node, link}
}

/**
 * The folder's share with EXP: its share key (the one the account already has for it, else a new random one)
 * goes to the server as the owner's copy `ok` with its handle auth `ha`, and the keys of the whole subtree under
 * it as `cr`, as megajs shareFolder and the SDK's setshare send them. A server that already holds another key
 * for the folder answers it in `ok` (SDK CommandSetShare::procresult): that one is kept.
 */
async function shareForExport(ctx: MegaContext, folder: MegaNode, masterKey: Buffer, writable: boolean): Promise<void> {
  let shareKey = ctx.nodes.shareKey(folder.handle) ?? randomBytes(16)
  const reply = await ctx.api.request<number | {ok?: string; ha?: string}>({
    a: 's2', n: folder.handle, s: [{u: EXPORT_USER, r: writable ? 2 : 0}],
    ok: b64encode(aesEcbEncrypt(masterKey, shareKey)), ha: handleAuth(masterKey, folder.handle),
    cr: cryptoRequestForShare(folder, shareKey, ctx.nodes.subtree(folder.handle)),
  })
  if (typeof reply === 'object' && reply && typeof reply.ok === 'string' && reply.ha === handleAuth(masterKey, folder.handle)) {
    shareKey = aesEcbDecrypt(masterKey, b64decode(reply.ok))
  }
  const key = shareKey
  await ctx.recordChange(() => ctx.nodes.setShareKey(folder.handle, key))
}

/**
 * Removes a node's link with `l` `d:1`; for a folder the EXP share goes after it, as the SDK does ("deletion of
 * outgoing share also deletes the link automatically; need to first remove the link and then the share",
 * MegaClient::exportnode). A server that removed the share with the link answers ENOENT to that second step,
 * which is then done.
 */
export async function disableExport(ctx: MegaContext, node: MegaNode): Promise<void> {
  ctx.requireWritable()
  await ctx.api.request({a: 'l', n: node.handle, d: 1})
  await ctx.recordChange(() => ctx.nodes.setLink(node.handle, null))
  if (node.type !== NodeType.FOLDER) return
  try {
    await ctx.api.request({a: 's2', n: node.handle, s: [{u: EXPORT_USER}]})
  } catch (error) {
    if (!(error instanceof MegaError && error.code === -9)) throw error
  }
}

/**
 * The exported nodes at or below `base`, in the order MEGAcmd lists them: its processTree walks the tree
 * children first, each folder's children in listing order, then the folder itself (megacmdexecuter.cpp
 * dumpListOfExported). Only the exported nodes are read (an index on the link column), each placed by its path
 * from `base`, so the cost follows their number, not the size of the tree.
 */
export function exportedBelow(ctx: MegaContext, base: MegaNode): MegaNode[] {
  const chains: Array<{node: MegaNode; chain: MegaNode[]}> = []
  for (const node of ctx.nodes.exported()) {
    const chain = chainFrom(ctx, base, node)
    if (chain) chains.push({node, chain})
  }
  chains.sort((a, b) => comparePostOrder(a.chain, b.chain))
  return chains.map(({node}) => node)
}

/** The nodes from `base` down to `node` (both included), or undefined when `node` is not at or below `base`. */
function chainFrom(ctx: MegaContext, base: MegaNode, node: MegaNode): MegaNode[] | undefined {
  const chain: MegaNode[] = []
  let current: MegaNode | undefined = node
  for (let guard = 0; current && guard < 10000; guard++) {
    chain.push(current)
    if (current.handle === base.handle) return chain.reverse()
    current = current.parent ? ctx.nodes.get(current.parent) : undefined
  }
  return undefined
}

/** Post-order: a node after everything below it; siblings in listing order. */
function comparePostOrder(a: MegaNode[], b: MegaNode[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i].handle !== b[i].handle) return compareSiblings(a[i], b[i])
  }
  return b.length - a.length
}
