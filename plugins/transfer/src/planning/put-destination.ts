import {CommandError, type CreatedFolders, createFolderPath, ExitCode, type MegaContext, type MegaNode, NodeType, NotFoundError, type PathResolver, withTreeWriteLock} from '@mega-shell/core'

/** Where each local source goes: a remote folder and the name to give it there. */
export interface PutTarget {
  parent: MegaNode
  /** Undefined = keep the local name. */
  name?: string
}

type Sources = Array<{isDirectory: boolean}>

export interface PutTargetOptions {
  /** -c: create missing folders. */
  create: boolean
  /** Hears of the folders created. */
  created: CreatedFolders
  signal?: AbortSignal
}

/**
 * MEGAcmd's put destinations (megacmd-reference.md §6.4 put): an existing folder receives the sources; an
 * existing file is replaced in name by one file source; a new name in an existing folder renames one source;
 * with -c missing folders are created, and without a trailing '/' the last component names the upload.
 * Returns the parent to upload into; folders are created only once everything else checked out, and only
 * those still missing under the tree-write lock (another command may be creating the same ones).
 */
export async function resolvePutTarget(ctx: MegaContext, resolver: PathResolver, destination: string, sources: Sources, options: PutTargetOptions): Promise<PutTarget> {
  const plan = planTarget(ctx, resolver, destination, sources, options.create)
  if (plan.missing.length === 0) return {parent: plan.parent, name: plan.name}
  return withTreeWriteLock(ctx, async () => {
    const {parent, missing, name} = planTarget(ctx, resolver, destination, sources, options.create)
    const folders = await createFolderPath(ctx, parent, missing)
    options.created.add(folders)
    return {parent: folders.at(-1) ?? parent, name}
  }, options.signal)
}

/** The target as the cache has it now: the deepest existing folder and the folders still to create under it. */
function planTarget(ctx: MegaContext, resolver: PathResolver, destination: string, sources: Sources, create: boolean): PutTarget & {missing: string[]} {
  const single = sources.length === 1 ? sources[0] : undefined
  const node = resolver.resolveOne(destination)
  if (node && node.type !== NodeType.FILE) return {parent: node, missing: []}
  if (node) {
    // A trailing '/' says "folder": a file there is not one (and `name` would make a second node beside it).
    if (!single || single.isDirectory || destination.endsWith('/')) throw invalidDestination()
    return {parent: ctx.nodes.get(node.parent!)!, name: node.name, missing: []}
  }
  const partial = resolver.resolvePartial(destination)
  if (!partial || partial.node.type === NodeType.FILE || partial.missing.includes('..')) throw invalidDestination()
  const asFolder = destination.endsWith('/') || !single
  if (!create) {
    if (partial.missing.length === 1 && !asFolder) return {parent: partial.node, name: partial.missing[0], missing: []}
    throw new NotFoundError(`Couldn't find destination folder: ${destination}. Use -c to create folder structure`)
  }
  if (asFolder) return {parent: partial.node, missing: partial.missing}
  return {parent: partial.node, missing: partial.missing.slice(0, -1), name: partial.missing.at(-1)}
}

function invalidDestination(): CommandError {
  return new CommandError('Destination is not valid (expected folder or alike)', ExitCode.INVALIDTYPE)
}
