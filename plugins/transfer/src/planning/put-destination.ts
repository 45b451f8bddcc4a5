import {CommandError, createFolder, ExitCode, type MegaContext, type MegaNode, NodeType, NotFoundError, type PathResolver} from '@mega-shell/core'

/** Where each local source goes: a remote folder and the name to give it there. */
export interface PutTarget {
  parent: MegaNode
  /** Undefined = keep the local name. */
  name?: string
}

/**
 * MEGAcmd's put destinations (megacmd-reference.md §6.4 put): an existing folder receives the sources; an
 * existing file is replaced in name by one file source; a new name in an existing folder renames one source;
 * with -c missing folders are created, and without a trailing '/' the last component names the upload.
 * Returns the parent to upload into; folders are created only once everything else checked out.
 */
export async function resolvePutTarget(ctx: MegaContext, resolver: PathResolver, destination: string, sources: Array<{isDirectory: boolean}>, create: boolean): Promise<PutTarget> {
  const single = sources.length === 1 ? sources[0] : undefined
  const node = resolver.resolveOne(destination)
  if (node && node.type !== NodeType.FILE) return {parent: node}
  if (node) {
    if (!single || single.isDirectory) throw new CommandError('Destination is not valid (expected folder or alike)', ExitCode.INVALIDTYPE)
    return {parent: ctx.nodes.get(node.parent!)!, name: node.name}
  }
  const partial = resolver.resolvePartial(destination)
  if (!partial || partial.node.type === NodeType.FILE || partial.missing.includes('..')) {
    throw new CommandError('Destination is not valid (expected folder or alike)', ExitCode.INVALIDTYPE)
  }
  const asFolder = destination.endsWith('/') || !single
  if (!create) {
    if (partial.missing.length === 1 && !asFolder) return {parent: partial.node, name: partial.missing[0]}
    throw new NotFoundError(`Couldn't find destination folder: ${destination}. Use -c to create folder structure`)
  }
  const folders = asFolder ? partial.missing : partial.missing.slice(0, -1)
  let parent = partial.node
  for (const name of folders) parent = await createFolder(ctx, parent, name)
  return {parent, name: asFolder ? undefined : partial.missing[partial.missing.length - 1]}
}
