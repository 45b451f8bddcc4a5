import {CommandError, deleteNode, ExitCode, type MegaContext, type MegaNode, moveNode, NodeType, NotFoundError, type PathResolver, renameNode} from '@mega-shell/core'

/** One node's move, decided before anything changes so a bad destination changes nothing. */
export interface MoveStep {
  node: MegaNode
  run(ctx: MegaContext): Promise<void>
}

/**
 * MEGAcmd's mv semantics (megacmd-reference.md §6.4 mv): an existing folder receives the sources; a new name
 * in an existing folder moves and renames one source; an existing file is replaced by one file source.
 */
export function planMoves(resolver: PathResolver, sources: MegaNode[], destination: string): MoveStep[] {
  const target = resolver.resolveOne(destination)
  if (target && target.type !== NodeType.FILE) {
    return sources.map((node) => ({node, run: (ctx) => (node.parent === target.handle ? Promise.resolve() : moveNode(ctx, node, target))}))
  }
  if (sources.length > 1) throw new CommandError(`${destination} must be a valid folder`, ExitCode.INVALIDTYPE)
  const [node] = sources
  if (target) {
    // Replace an existing file: move next to it, delete it, take its name.
    if (node.type !== NodeType.FILE) throw new CommandError(`${destination}: Not a directory`, ExitCode.INVALIDTYPE)
    if (target.handle === node.handle) return []
    const parent = resolver.resolveOne(resolver.pathOf(target) + '/..')!
    return [{node, run: async (ctx) => {
      if (node.parent !== parent.handle) await moveNode(ctx, node, parent)
      await deleteNode(ctx, target)
      if (node.name !== target.name) await renameNode(ctx, ctx.nodes.get(node.handle)!, target.name)
    }}]
  }
  const partial = resolver.resolvePartial(destination)
  if (!partial || partial.missing.length !== 1 || partial.node.type === NodeType.FILE || partial.missing[0] === '..') {
    throw new NotFoundError(`${destination}: No such directory`)
  }
  const parent = partial.node
  const name = partial.missing[0]
  return [{node, run: async (ctx) => {
    if (node.parent !== parent.handle) await moveNode(ctx, node, parent)
    await renameNode(ctx, ctx.nodes.get(node.handle)!, name)
  }}]
}
