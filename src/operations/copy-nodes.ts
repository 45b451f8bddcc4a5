import {randomBytes} from 'node:crypto'
import {encryptAttributes, type NodeAttributes} from '../crypto/attributes.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, ExitCode, MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import {type NewNode, putNodes} from './remote-ops.js'

/** Where a copy goes: into `target`, under `name` (default: the source's own name). */
export interface CopyDestination {
  target: MegaNode
  name?: string
}

/**
 * Copies a node of the account (a file, or a folder with everything in it) into a folder, on the server, with one
 * `p` naming the existing nodes, as the SDK's copy does (MegaApiImpl::copyTreeFromOwnedNode,
 * MegaClient::putnodes_prepareCopy): `h` is the source node and `p` its source parent (the request's own
 * placeholder for every node but the top); a file keeps its key, re-encrypted under the master key, and the server
 * reuses its ciphertext; a folder gets a fresh random key and its attributes are encrypted again under it; the
 * restore attribute `rr` is dropped. A file copied next to a file of the same name replaces it, which the server
 * keeps as a version (`ov`, as the SDK's getovnode); when both have the same fingerprint nothing is copied and
 * the existing file is returned (the SDK's EEXIST, reported as success). Returns the new (or existing) top node.
 */
export async function copyNode(ctx: MegaContext, source: MegaNode, destination: CopyDestination): Promise<MegaNode> {
  const masterKey = ctx.requireWritable()
  const name = (destination.name ?? source.name).normalize('NFC')
  const replaced = source.type === NodeType.FILE ? ctx.nodes.childrenNamed(destination.target.handle, name).find((n) => n.type === NodeType.FILE) : undefined
  if (replaced && sameFingerprint(source, replaced)) return replaced
  const batch: NewNode[] = []
  const add = (node: MegaNode, top: boolean) => {
    // MegaApiImpl::copyTreeFromOwnedNode: a node without a usable key cannot be copied (API_EKEY).
    if (!node.key) throw new MegaError(-14)
    const key = node.type === NodeType.FILE ? node.key : randomBytes(16)
    const {rr: _restore, ...attrs}: NodeAttributes = top ? {...node.attrs, n: name} : node.attrs
    batch.push({
      h: node.handle, t: node.type === NodeType.FILE ? NodeType.FILE : NodeType.FOLDER, a: encryptAttributes(foldKey(key), attrs), k: encryptNodeKey(masterKey, key),
      ...(top ? (replaced ? {ov: replaced.handle} : {}) : {p: node.parent ?? undefined}),
    })
    if (node.type !== NodeType.FILE) for (const child of ctx.nodes.children(node.handle)) add(child, false)
  }
  add(source, true)
  const [copy] = await putNodes(ctx, destination.target, batch)
  if (replaced) await ctx.recordChange(() => ctx.nodes.deleteTree(replaced.handle))
  return copy
}

/**
 * The SDK's "that exact same file already exists" (FileFingerprint::EqualExceptValidFlag, both fingerprints
 * valid): the same size and the same fingerprint attribute (CRC and modification time).
 */
function sameFingerprint(a: MegaNode, b: MegaNode): boolean {
  return typeof a.attrs.c === 'string' && a.attrs.c === b.attrs.c && a.size === b.size
}

/** A file of the account to copy, and the name the copy gets. */
export interface FileCopy {
  source: MegaNode
  name: string
}

/**
 * Many files of the account into one folder with one `p`, on the server (copyNode's wire form for each file, as the
 * SDK's copy sends it: `h` the source, its key re-encrypted under the master key, the attributes encrypted again
 * with the new name and without `rr`): no byte of their data moves. For a folder that has no files of these names
 * (a new one): a same-named file there is not replaced but joined. Returns the new nodes in the order given.
 */
export async function copyFilesInto(ctx: MegaContext, target: MegaNode, files: FileCopy[]): Promise<MegaNode[]> {
  if (files.length === 0) return []
  const masterKey = ctx.requireWritable()
  const batch: NewNode[] = files.map(({source, name}) => {
    if (source.type !== NodeType.FILE || !source.key) throw new MegaError(-14)
    const {rr: _restore, ...attrs}: NodeAttributes = {...source.attrs, n: name.normalize('NFC')}
    return {h: source.handle, t: NodeType.FILE, a: encryptAttributes(foldKey(source.key), attrs), k: encryptNodeKey(masterKey, source.key)}
  })
  const created = await putNodes(ctx, target, batch)
  if (created.length !== batch.length) throw new CommandError('The server did not create every copy', ExitCode.EUNEXPECTED)
  return created
}
