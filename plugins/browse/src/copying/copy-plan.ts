import {CommandError, copyNode, deleteNode, ExitCode, failedTo, type MegaContext, MegaError, type MegaNode, NodeType, NotFoundError, type PathResolver} from '@mega-shell/core'

/** Where `cp` copies to, resolved once for all its sources (MEGAcmd nodebypath with its namepart). */
export type CopyTarget =
  /** An existing node: a folder to copy into, or a file to replace. */
  | {kind: 'existing'; node: MegaNode}
  /** A path whose last component does not exist: copy into `parent` under `name`. */
  | {kind: 'new-name'; parent: MegaNode; name: string}
  | {kind: 'missing'}

/**
 * The destination as MEGAcmd's nodebypath reads it for cp: the node it names, or, when only its last component is
 * missing, the node before it and that name (even when that node is a file: the copy then fails as the SDK's does).
 */
export function copyTarget(resolver: PathResolver, destination: string): CopyTarget {
  const node = resolver.resolveOne(destination)
  if (node) return {kind: 'existing', node}
  const partial = resolver.resolvePartial(destination)
  if (partial && partial.missing.length === 1 && partial.missing[0] !== '..') return {kind: 'new-name', parent: partial.node, name: partial.missing[0]}
  // A path running through a file stops at it: its last component names something inside the file.
  const slash = destination.lastIndexOf('/', destination.endsWith('/') ? destination.length - 2 : destination.length)
  const parent = slash >= 0 ? resolver.resolveOne(destination.slice(0, slash) || '/') : undefined
  if (parent?.type === NodeType.FILE) return {kind: 'new-name', parent, name: destination.slice(slash + 1)}
  return {kind: 'missing'}
}

/** Whether several sources may go to `target` (MEGAcmd isValidFolder: an existing folder). */
export function takesSeveral(target: CopyTarget): boolean {
  return target.kind === 'existing' && target.node.type !== NodeType.FILE
}

/** Nothing to copy, said on stderr without changing the exit code, as MEGAcmd does. */
export interface CopyNotice {
  notice: string
}

/**
 * Copies one node as MEGAcmd's copyNode does (megacmdexecuter.cpp), with its messages: into an existing folder;
 * under a new name into the folder before a missing last component; onto an existing file, a file replaces it
 * (copied next to it under its name, then the old one deleted, unless the server found them identical), a folder
 * cannot ("Cannot overwrite file with folder", 55); nowhere else ("<d> Couldn't find destination", 53). API
 * failures read "Failed to <step>: <SDK error>" with the API code. Returns the copy, or a notice.
 */
export async function copyTo(ctx: MegaContext, node: MegaNode, target: CopyTarget, destination: string): Promise<MegaNode | CopyNotice> {
  if (target.kind === 'missing') throw new NotFoundError(`${destination} Couldn't find destination`)
  if (target.kind === 'new-name') {
    if (target.parent.handle === node.handle) return {notice: 'Source and destiny are the same'}
    // The SDK refuses a copy into a file (performRequest_copy: EARGS).
    return step('copy node', () => (target.parent.type === NodeType.FILE ? Promise.reject(new MegaError(-2)) : copyNode(ctx, node, {target: target.parent, name: target.name})))
  }
  const existing = target.node
  if (existing.handle === node.handle) return {notice: 'Source and destiny are the same'}
  if (existing.type !== NodeType.FILE) return step('copy node', () => copyNode(ctx, node, {target: existing}))
  if (node.type !== NodeType.FILE) throw new CommandError('Cannot overwrite file with folder', ExitCode.INVALIDTYPE)
  const parent = existing.parent ? ctx.nodes.get(existing.parent) : undefined
  if (!parent) throw new CommandError(`${destination} has no parent folder`, ExitCode.INVALIDSTATE)
  const copy = await step('copy with new name', () => copyNode(ctx, node, {target: parent, name: existing.name}))
  if (copy.handle !== existing.handle) await step('delete target node', () => deleteNode(ctx, existing))
  return copy
}

async function step<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw failedTo(what, error)
  }
}
