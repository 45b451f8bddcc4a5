import {compareSiblings, type MegaNode, type NodeType, type SubtreeRow} from '@mega-shell/core'

/** A found node with the names from the search's top down to it (empty for the top itself). */
export interface OrderedMatch {
  row: SubtreeRow
  names: string[]
}

interface Branch {
  type: NodeType
  name: string
  children: Map<string, Branch>
  match?: SubtreeRow
}

/**
 * The matches of a subtree search in MEGAcmd's order (megacmdexecuter.cpp processTree): post-order, children before
 * their folder, siblings in the SDK's listing order (tree/sibling-order.ts). Only the branches that lead to a
 * match are sorted, so a rare match in a huge folder costs little; a folder on the way that did not match itself
 * is read with `lookup`.
 */
export function postOrder(top: MegaNode, rows: SubtreeRow[], lookup: (handle: string) => MegaNode | undefined): OrderedMatch[] {
  const byHandle = new Map(rows.map((row) => [row.handle, row]))
  const root: Branch = {type: top.type, name: top.name, children: new Map()}
  for (const row of rows) {
    let branch = root
    // lineage[0] is the top itself.
    for (const handle of row.lineage.slice(1)) {
      let next = branch.children.get(handle)
      if (!next) {
        const known = byHandle.get(handle) ?? lookup(handle)
        next = {type: known?.type ?? row.type, name: known?.name ?? '', children: new Map()}
        branch.children.set(handle, next)
      }
      branch = next
    }
    branch.match = row
  }
  const ordered: OrderedMatch[] = []
  const visit = (branch: Branch, names: string[]) => {
    for (const child of [...branch.children.values()].sort(compareSiblings)) visit(child, [...names, child.name])
    if (branch.match) ordered.push({row: branch.match, names})
  }
  visit(root, [])
  return ordered
}

/** A path below `top` (an absolute path, `/` for the root) given the names on the way. */
export function pathBelow(top: string, names: string[]): string {
  if (names.length === 0) return top
  return `${top.endsWith('/') ? top : `${top}/`}${names.join('/')}`
}
