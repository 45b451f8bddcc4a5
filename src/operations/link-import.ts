import {randomBytes} from 'node:crypto'
import {encryptAttributes} from '../crypto/attributes.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, ExitCode} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {PublicFileInfo} from './public-download.js'
import type {PublicFolder} from './public-folder.js'
import {type NewNode, putNodes} from './remote-ops.js'

/**
 * Imports the file of a public file link into `target`, as the SDK's importFileLink does
 * (MegaApiImpl::openfilelink_result, src/megaapi_impl.cpp): a same-named file with the same fingerprint is the
 * import already done (nothing is sent; that file is the result); one with other content is replaced (`ov`, kept
 * as a version); otherwise `p` creates it from the public handle (`ph`), with the link's key under the master key
 * and the attributes as they are (megajs importFile). Returns the imported (or found) file.
 */
export async function importFileLink(ctx: MegaContext, target: MegaNode, handle: string, file: PublicFileInfo): Promise<MegaNode> {
  const masterKey = ctx.requireWritable()
  const existing = ctx.nodes.childrenNamed(target.handle, file.name).find((node) => node.type === NodeType.FILE)
  if (existing && existing.size === file.size && typeof existing.attrs.c === 'string' && existing.attrs.c === file.attrs.c) return existing
  const [imported] = await putNodes(ctx, target, [{
    ph: handle, t: NodeType.FILE, a: encryptAttributes(foldKey(file.key), file.attrs), k: encryptNodeKey(masterKey, file.key),
    ...(existing ? {ov: existing.handle} : {}),
  }])
  if (!imported) throw new CommandError('The server did not import the file', ExitCode.EUNEXPECTED)
  // The replaced file is now a version of the new one: versions are not part of the cached tree.
  if (existing) await ctx.recordChange(() => ctx.nodes.deleteTree(existing.handle))
  return imported
}

/**
 * Copies the node a folder link names, with everything below it, into `target` in one `p`, as MEGAcmd's import
 * does (MegaApi::copyNode of the authorized folder-link node): each new node names its source by handle (`h`,
 * which the server lets any account copy from an exported folder, mega-api.md §4.3), children name their
 * parent's source as `p`; files keep their keys, folders get new random keys, and every key goes under the
 * master key with the attributes encrypted again (webclient getCopyNodesSync, SDK putnodes_prepareCopy).
 * Nodes whose keys the link does not open cannot be copied and fail the import before anything is sent.
 * Returns the top node of the copy.
 */
export async function importFolderLink(ctx: MegaContext, target: MegaNode, folder: PublicFolder): Promise<MegaNode> {
  const masterKey = ctx.requireWritable()
  const sources = folder.ctx.nodes.subtree(folder.node.handle)
  const batch: NewNode[] = sources.map((source) => {
    if (!source.key) throw new CommandError(`Cannot import ${source.name}: the link's key does not open it`, 14)
    const key = source.type === NodeType.FILE ? source.key : randomBytes(16)
    return {
      h: source.handle,
      t: source.type === NodeType.FILE ? NodeType.FILE : NodeType.FOLDER,
      a: encryptAttributes(foldKey(key), source.attrs),
      k: encryptNodeKey(masterKey, key),
      ...(source.handle === folder.node.handle ? {} : {p: source.parent!}),
    }
  })
  const created = await putNodes(ctx, target, batch)
  if (created.length !== batch.length) throw new CommandError('The server did not import every node', ExitCode.EUNEXPECTED)
  return created[0]
}
