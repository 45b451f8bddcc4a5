import {fileTime, type MegaNode, NodeType, type NodeStore, type PathResolver, printable} from '@mega-shell/core'
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
  /** --versions: each file's older versions after it (versions-listing.ts). */
  versions: boolean
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
      this.summary(node, this.resolver.pathOf(node), 0, base, lines)
    } else {
      this.tree(node, this.resolver.pathOf(node), [], base, lines)
    }
    return lines
  }

  /**
   * dumptree: one row per node, deeper levels indented by a tab per level, or with --tree drawn with box
   * characters (printTreeSuffix). A row is the node's name, except for a file given as the argument itself,
   * titled by its path (shown-path.ts). `lastLeaf` says, for each level down to this node, whether the node there
   * is its folder's last child. `path` is the node's (each row's is its folder's and its name: no walk to the root).
   */
  private tree(node: MegaNode, path: string, lastLeaf: boolean[], base: RelativeBase, lines: string[]): void {
    const depth = lastLeaf.length
    const {tree, recursive, extended, showHandles} = this.options
    if (depth > 0 || node.type === NodeType.FILE) {
      const title = depth === 0 && base !== null ? shownPath(path, base) : node.name
      const lead = tree ? treePrefix(lastLeaf) : '\t'.repeat(Math.max(0, depth - 1))
      const handle = showHandles ? ` <H:${node.handle}>` : ''
      const info = extended ? extendedInfo(node, extended, this.nodes, this.options.time) : ''
      lines.push(lead + printable(title) + handle + info)
      this.entries.push(toEntry(node, this.nodes, path, depth))
      if (this.options.versions && node.type === NodeType.FILE) {
        lines.push(...this.nodes.versionsOf(node.handle).map((version) => versionLine(version, this.options, extended ? extendedInfo(version, extended, this.nodes, this.options.time) : '')))
      }
      if (!recursive && depth > 0) return
    }
    if (node.type === NodeType.FILE) return
    const children = this.nodes.children(node.handle)
    children.forEach((child, i) => this.tree(child, this.resolver.pathUnder(path, child), [...lastLeaf, i === children.length - 1], null, lines))
  }

  /**
   * dumpTreeSummary: a row per child; with -R each folder's block is titled `<path>:` and separated by an empty
   * line, the listed folder's title relative to `base`, deeper ones absolute (MEGAcmd does not pass its base
   * down).
   */
  private summary(node: MegaNode, path: string, depth: number, base: RelativeBase, lines: string[]): void {
    if (node.type === NodeType.FILE) {
      if (depth === 0) {
        this.row(node, path, 0, lines)
        if (this.options.versions) this.versionsBlock(node, shownPath(path, base), true, lines)
      }
      return
    }
    const children = this.nodes.children(node.handle).map((child) => ({child, path: this.resolver.pathUnder(path, child)}))
    if (depth > 0) lines.push('')
    const title = shownPath(path, base)
    if (this.options.recursive) lines.push(`${printable(title)}:`)
    for (const {child, path: childPath} of children) this.row(child, childPath, depth + 1, lines)
    if (this.options.versions) {
      for (const {child} of children) if (child.type === NodeType.FILE) this.versionsBlock(child, `${title}/${child.name}`, false, lines)
    }
    if (this.options.recursive) for (const {child, path: childPath} of children) this.summary(child, childPath, depth + 1, null, lines)
  }

  private row(node: MegaNode, path: string, depth: number, lines: string[]): void {
    const entry = toEntry(node, this.nodes, path, depth)
    this.entries.push(entry)
    lines.push(longRow(entry, printable(node.name), this.options))
  }

  /**
   * `ls -l --versions`: after a folder's rows, a block per file that has older versions — an empty line,
   * `Versions of <folder title>/<name>:` and a row per version, newest (the file) first, each counting the versions
   * from it down. For a file given as the argument itself the rows are named `name#<mtime>` (MEGAcmd 2.5.2,
   * observed: `ls -l --versions` of the cwd `/` titles `//v.txt`, `ls -lR --versions /` titles `/v.txt`).
   */
  private versionsBlock(file: MegaNode, title: string, named: boolean, lines: string[]): void {
    const chain = [file, ...this.nodes.versionsOf(file.handle)]
    if (chain.length < 2) return
    lines.push('', `Versions of ${printable(title)}:`)
    chain.forEach((version, i) => {
      const entry = {...toEntry(version, this.nodes, this.resolver.pathOf(version), 1), versions: chain.length - i}
      lines.push(longRow(entry, printable(named ? `${version.name}#${fileTime(version)}` : version.name), this.options))
    })
  }
}

/**
 * `ls --versions` without -l: after a file, a line per older version, `  name#<mtime>[name] (<date>)`, then its
 * -a information and handle (MEGAcmd 2.5.2, observed; always two spaces, whatever the depth).
 */
function versionLine(version: MegaNode, options: ListOptions, info: string): string {
  const name = printable(version.name)
  return `  ${name}#${fileTime(version)}[${name}] (${options.time(fileTime(version))})${info}${options.showHandles ? ` <H:${version.handle}>` : ''}`
}
