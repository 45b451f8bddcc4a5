import {type MegaNode, NodeType, type NodeStore, type PathResolver, printable} from '@mega-shell/core'
import {type ListEntry, toEntry} from './entry.js'
import {extendedInfo} from './extended-info.js'
import {type LongFormat, longHeader, longRow} from './long-format.js'
import {type RelativeBase, shownPath} from './shown-path.js'
import {treePrefix} from './tree-prefix.js'

export interface ListOptions extends LongFormat {
  long: boolean
  /** -R, -r, or --tree. */
  recursive: boolean
  /** --tree: rows drawn as a tree. */
  tree: boolean
  /** -a (1) or -aa (2): extra information after each name (extended-info.ts). */
  extended: number
}

/**
 * Renders `ls` listings as MEGAcmd does (megacmdexecuter.cpp dumptree for plain listings and --tree, dumpTreeSummary
 * for -l) and collects the listed entries for --json. Names come from whoever wrote the nodes, so they are escaped
 * for line output (format/printable.ts); --json keeps them exact.
 */
export class TreeLister {
  readonly entries: ListEntry[] = []
  private headerPrinted = false

  constructor(private readonly nodes: NodeStore, private readonly resolver: PathResolver, private readonly options: ListOptions) {}

  /**
   * The lines of one listed node: a folder's children, or a file itself. With -l the column header comes
   * first, once per command (MEGAcmd prints it before its first listing).
   */
  list(node: MegaNode, base: RelativeBase): string[] {
    const lines: string[] = []
    if (this.options.long) {
      if (!this.headerPrinted) lines.push(longHeader(this.options))
      this.headerPrinted = true
      this.summary(node, 0, base, lines)
    } else {
      this.tree(node, [], base, lines)
    }
    return lines
  }

  /**
   * dumptree: one row per node, deeper levels indented by a tab per level, or with --tree drawn with box
   * characters (printTreeSuffix). A row is the node's name, except for a file given as the argument itself,
   * titled by its path (shown-path.ts). `lastLeaf` says, for each level down to this node, whether the node there
   * is its folder's last child.
   */
  private tree(node: MegaNode, lastLeaf: boolean[], base: RelativeBase, lines: string[]): void {
    const depth = lastLeaf.length
    const {tree, recursive, extended, showHandles} = this.options
    if (depth > 0 || node.type === NodeType.FILE) {
      const title = depth === 0 && base !== null ? shownPath(this.resolver.pathOf(node), base) : node.name
      const lead = tree ? treePrefix(lastLeaf) : '\t'.repeat(Math.max(0, depth - 1))
      const handle = showHandles ? ` <H:${node.handle}>` : ''
      const info = extended ? extendedInfo(node, extended, this.nodes, this.options.time) : ''
      lines.push(lead + printable(title) + handle + info)
      this.entries.push(toEntry(node, this.resolver, depth))
      if (!recursive && depth > 0) return
    }
    if (node.type === NodeType.FILE) return
    const children = this.nodes.children(node.handle)
    children.forEach((child, i) => this.tree(child, [...lastLeaf, i === children.length - 1], null, lines))
  }

  /**
   * dumpTreeSummary: a row per child; with -R each folder's block is titled `<path>:` and separated by an empty
   * line, the listed folder's title relative to `base`, deeper ones absolute (MEGAcmd does not pass its base
   * down).
   */
  private summary(node: MegaNode, depth: number, base: RelativeBase, lines: string[]): void {
    if (node.type === NodeType.FILE) {
      if (depth === 0) this.row(node, 0, lines)
      return
    }
    const children = this.nodes.children(node.handle)
    if (depth > 0) lines.push('')
    if (this.options.recursive) lines.push(`${printable(shownPath(this.resolver.pathOf(node), base))}:`)
    for (const child of children) this.row(child, depth + 1, lines)
    if (this.options.recursive) for (const child of children) this.summary(child, depth + 1, null, lines)
  }

  private row(node: MegaNode, depth: number, lines: string[]): void {
    const entry = toEntry(node, this.resolver, depth)
    this.entries.push(entry)
    lines.push(longRow(entry, printable(node.name), this.options))
  }
}
