import {type MegaNode, NodeType, type NodeStore, type PathResolver, printable} from '@mega-shell/core'
import {type ListEntry, toEntry} from './entry.js'
import {longHeader, longRow} from './long-format.js'

export interface ListOptions {
  long: boolean
  recursive: boolean
  human: boolean
  showHandles: boolean
  /**
   * How MEGAcmd titles rows: `null` prints names; a string prints each node's path relative to it ('' = absolute).
   * MEGAcmd switches to paths when the argument contains a '/' (megacmdexecuter.cpp "ls", rNpath).
   */
  relativeTo: string | null
}

/** Renders `ls` of one node into lines and collects the entries for --json (MEGAcmd dumptree / dumpTreeSummary). */
export class TreeLister {
  readonly lines: string[] = []
  readonly entries: ListEntry[] = []

  constructor(private readonly nodes: NodeStore, private readonly resolver: PathResolver, private readonly options: ListOptions) {}

  header(): void {
    if (this.options.long) this.lines.push(longHeader(this.options.showHandles))
  }

  list(node: MegaNode): void {
    if (this.options.long) this.summary(node, 0)
    else this.tree(node, 0)
  }

  /** A row's name or path; names come from whoever wrote the node, so they are escaped for line output. */
  private title(node: MegaNode): string {
    return printable(this.rawTitle(node))
  }

  private rawTitle(node: MegaNode): string {
    const rel = this.options.relativeTo
    if (rel === null) return node.name
    const path = this.resolver.pathOf(node)
    if (rel === '') return path
    if (rel === '/' && path.startsWith('/') && !path.startsWith('//')) return path.slice(1)
    if (path.startsWith(rel + '/')) return path.slice(rel.length + 1)
    return path
  }

  /** Plain listing: children one per line, deeper levels indented by a tab per level (dumptree). */
  private tree(node: MegaNode, depth: number): void {
    if (depth > 0 || node.type === NodeType.FILE) {
      const entry = toEntry(node, this.resolver, depth)
      this.entries.push(entry)
      const handle = this.options.showHandles ? ` <H:${node.handle}>` : ''
      this.lines.push('\t'.repeat(Math.max(0, depth - 1)) + this.title(node) + handle)
      if (!this.options.recursive && depth > 0) return
    }
    if (node.type !== NodeType.FILE) for (const child of this.nodes.children(node.handle)) this.tree(child, depth + 1)
  }

  /** Long listing: a row per child; with -R a `<path>:` block per folder (dumpTreeSummary). */
  private summary(node: MegaNode, depth: number): void {
    const row = (n: MegaNode) => {
      const entry = toEntry(n, this.resolver, depth)
      this.entries.push(entry)
      this.lines.push(longRow(entry, printable(n.name), this.options))
    }
    if (node.type === NodeType.FILE) {
      if (depth === 0) row(node)
      return
    }
    const children = this.nodes.children(node.handle)
    if (depth > 0) this.lines.push('')
    if (this.options.recursive) this.lines.push(`${this.title(node) || printable(this.resolver.pathOf(node))}:`)
    for (const child of children) row(child)
    if (this.options.recursive) for (const child of children) this.summary(child, depth + 1)
  }
}
