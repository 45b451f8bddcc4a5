import {CommandError, deleteNode, ExitCode, failedTo, type MegaContext, type MegaNode, moveNode, NodeType, NotFoundError, type PathResolver, renameNode} from '@mega-shell/core'

/** One node's move, decided before it changes anything. */
export interface MoveStep {
  node: MegaNode
  run(ctx: MegaContext): Promise<void>
}

/** Nothing to move, said on stderr without changing the exit code, as MEGAcmd does. */
export interface MoveNotice {
  notice: string
}

/**
 * Whether `destination` can take several sources: an existing folder (MEGAcmd isValidFolder). Otherwise
 * `mv` with several sources says "<destination> must be a valid folder" (55).
 */
export function isFolderDestination(resolver: PathResolver, destination: string): boolean {
  const target = resolver.resolveOne(destination)
  return target !== undefined && target.type !== NodeType.FILE
}

export function notAFolder(destination: string): CommandError {
  return new CommandError(`${destination} must be a valid folder`, ExitCode.INVALIDTYPE)
}

/**
 * The move of one node as MEGAcmd's mv does it (megacmdexecuter.cpp moveToDestination), with its messages: an
 * existing folder receives the node; a new name in an existing folder moves and renames it ("<d>: Not a
 * directory", 55, when that parent is a file); an existing file is replaced by a file; anything else is
 * "<d>: No such directory" (53). API failures read "Failed to <step>: <SDK error>" with the API code, e.g.
 * "Failed to move node: Circular linkage detected" (10) for a folder moved into itself.
 *
 * One difference on purpose: MEGAcmd also lets a folder replace a file (it deletes the file and gives the
 * folder its name); here that is "<d>: Not a directory" (55), as for POSIX mv, and nothing is deleted.
 */
export function planMove(resolver: PathResolver, node: MegaNode, destination: string): MoveStep | MoveNotice {
  const target = resolver.resolveOne(destination)
  if (target?.handle === node.handle) return {notice: 'Source and destiny are the same'}
  if (target && target.type !== NodeType.FILE) {
    return {node, run: (ctx) => (node.parent === target.handle ? Promise.resolve() : step('move node', moveNode(ctx, node, target)))}
  }
  if (target) {
    // Replace an existing file: move next to it, delete it, take its name.
    if (node.type !== NodeType.FILE) throw new CommandError(`${destination}: Not a directory`, ExitCode.INVALIDTYPE)
    const parent = resolver.resolveOne(resolver.pathOf(target) + '/..')!
    return {node, run: async (ctx) => {
      if (node.parent !== parent.handle) await step('move node', moveNode(ctx, node, parent))
      await step('remove target node', deleteNode(ctx, target))
      if (node.name !== target.name) await step('rename moved node', renameNode(ctx, ctx.nodes.get(node.handle)!, target.name))
    }}
  }
  const partial = resolver.resolvePartial(destination)
  if (!partial || partial.missing.length !== 1 || partial.missing[0] === '..') {
    const parentPath = destination.slice(0, destination.lastIndexOf('/') + 1)
    const parent = parentPath ? resolver.resolveOne(parentPath) : undefined
    if (parent?.type === NodeType.FILE) throw new CommandError(`${destination}: Not a directory`, ExitCode.INVALIDTYPE)
    throw new NotFoundError(`${destination}: No such directory`)
  }
  const parent = partial.node
  const name = partial.missing[0]
  return {node, run: async (ctx) => {
    if (node.parent !== parent.handle) await step('move', moveNode(ctx, node, parent))
    await step('rename', renameNode(ctx, ctx.nodes.get(node.handle)!, name))
  }}
}

async function step<T>(what: string, operation: Promise<T>): Promise<T> {
  try {
    return await operation
  } catch (error) {
    throw failedTo(what, error)
  }
}
