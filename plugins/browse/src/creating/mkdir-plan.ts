import {CommandError, ExitCode, type MegaNode, NodeType, type PathResolver, UsageError} from '@mega-shell/core'

/** The folders one `mkdir` argument creates: `missing` under `parent` (nothing when the path exists). */
export interface FolderPlan {
  parent: MegaNode
  missing: string[]
}

/**
 * What `mkdir [-p] <path>` creates, with MEGAcmd's errors (megacmdexecuter.cpp "mkdir" and makedir): an
 * existing last component is "Folder already exists: <name>" / "File already exists: <name>" (54), naming it as
 * typed, and a missing folder before it without -p is "Use -p to create folders recursively" (51). A path
 * ending in '/' that exists is no error: MEGAcmd walks every component followed by a '/' and has nothing left
 * to create.
 */
export function planFolder(resolver: PathResolver, path: string, parents: boolean): FolderPlan {
  const partial = resolver.resolvePartial(path)
  if (!partial) throw new CommandError(`${path}: Not a directory`, ExitCode.INVALIDTYPE)
  if (partial.missing.length === 0) {
    if (path.endsWith('/')) return {parent: partial.node, missing: []}
    const kind = partial.node.type === NodeType.FILE ? 'File' : 'Folder'
    throw new CommandError(`${kind} already exists: ${path.split('/').at(-1)}`, ExitCode.INVALIDSTATE)
  }
  if (partial.missing.length > 1 && !parents) throw new UsageError('Use -p to create folders recursively')
  if (partial.missing.includes('..')) throw new UsageError(`Cannot create ${path}: ".." after a missing folder`)
  return {parent: partial.node, missing: partial.missing}
}
