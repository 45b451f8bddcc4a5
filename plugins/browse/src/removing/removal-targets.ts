import {type ArgumentFailures, CommandError, ExitCode, type MegaNode, NodeType, type NodeStore, NotFoundError, type PathResolver} from '@mega-shell/core'

/**
 * The nodes `rm <path…>` deletes, as MEGAcmd's rm picks them (megacmdexecuter.cpp "rm" and deleteNode): every
 * match of every path, except what cannot be deleted, which is reported and skipped: a path that names nothing
 * ("<path>: No such file or directory", 53), a folder without -r ("Unable to delete folder: <path>. Use -r to
 * delete a folder recursively", 55), a root (56).
 */
export function removalTargets(resolver: PathResolver, paths: string[], {recursive, pcre}: {recursive: boolean; pcre: boolean}, failures: ArgumentFailures): MegaNode[] {
  const targets: MegaNode[] = []
  for (const path of paths) {
    const nodes = resolver.resolve(path, {pcre})
    if (nodes.length === 0) failures.add(new NotFoundError(`${path}: No such file or directory`))
    for (const node of nodes) {
      if (node.type !== NodeType.FILE && node.type !== NodeType.FOLDER) {
        failures.add(new CommandError(`Cannot delete a root folder: ${path}`, ExitCode.NOTPERMITTED))
      } else if (node.type === NodeType.FOLDER && !recursive) {
        failures.add(new CommandError(`Unable to delete folder: ${resolver.pathOf(node)}. Use -r to delete a folder recursively`, ExitCode.INVALIDTYPE))
      } else {
        targets.push(node)
      }
    }
  }
  return targets
}

/** The nodes not inside another one of them: deleting a folder deletes what it holds. */
export function outermost(nodes: MegaNode[], store: NodeStore): MegaNode[] {
  const handles = new Set(nodes.map((n) => n.handle))
  const inside = (node: MegaNode) => {
    for (let parent = node.parent; parent; parent = store.get(parent)?.parent ?? null) if (handles.has(parent)) return true
    return false
  }
  return nodes.filter((node) => !inside(node))
}
