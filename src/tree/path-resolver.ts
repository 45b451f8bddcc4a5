import type {NodeStore} from '../store/node-store.js'
import {hasWildcard, wildcardToRegExp} from './glob.js'
import {type MegaNode, NodeType} from './node.js'

export interface Roots {
  root: MegaNode
  inbox?: MegaNode
  rubbish?: MegaNode
}

/** Where a path stops matching: the deepest node that exists and the components left after it. */
export interface PartialResolution {
  node: MegaNode
  missing: string[]
}

/**
 * Remote path resolution as MEGAcmd does it (megacmd-reference.md §4 "Remote path syntax"): `/a/b` from the
 * cloud root, `a/b` from the cwd, `.`/`..`, `//bin` (rubbish) and `//in` (inbox/vault), `H:<handle>`, and
 * `*`/`?` wildcards in any component. Every step is one indexed query, so cost is O(depth).
 */
export class PathResolver {
  private cwdNode?: MegaNode

  /**
   * `cwd` may be a function: it is called on the first relative path only, so a working directory that no
   * longer exists fails the commands that use it (with its own error) and not those given absolute paths.
   */
  constructor(private readonly nodes: NodeStore, private readonly roots: Roots, private readonly cwdSource: MegaNode | (() => MegaNode)) {}

  /** The working directory relative paths start from. */
  get cwd(): MegaNode {
    this.cwdNode ??= typeof this.cwdSource === 'function' ? this.cwdSource() : this.cwdSource
    return this.cwdNode
  }

  /** All nodes the (possibly wildcard) path names; empty when none. */
  resolve(path: string): MegaNode[] {
    const start = this.start(path)
    if (!start) return []
    let current: MegaNode[] = [start.node]
    for (const component of start.components) {
      const next: MegaNode[] = []
      for (const node of current) next.push(...this.step(node, component))
      current = dedupe(next)
      if (current.length === 0) break
    }
    return current
  }

  /** The one node a literal path names (wildcards taken literally). */
  resolveOne(path: string): MegaNode | undefined {
    const partial = this.resolvePartial(path)
    return partial && partial.missing.length === 0 ? partial.node : undefined
  }

  /**
   * Follows a literal path as far as it exists (for mkdir -p, put -c and "move and rename"). Undefined when
   * the path runs through a file.
   */
  resolvePartial(path: string): PartialResolution | undefined {
    const start = this.start(path)
    if (!start) return undefined
    let node = start.node
    const components = start.components
    for (let i = 0; i < components.length; i++) {
      const component = components[i]
      if (component === '.') continue
      if (component === '..') {
        node = this.parentOf(node)
        continue
      }
      if (node.type === NodeType.FILE) return undefined
      const child = this.nodes.childrenNamed(node.handle, component)[0]
      if (!child) return {node, missing: components.slice(i).filter((c) => c !== '.')}
      node = child
    }
    return {node, missing: []}
  }

  /** The MEGAcmd-style absolute path of a node: `/a/b`, `//bin/x`, `//in/y`. */
  pathOf(node: MegaNode): string {
    const names: string[] = []
    let current: MegaNode | undefined = node
    for (let guard = 0; current && guard < 10000; guard++) {
      // In a folder-link session the exported folder is the root (`/`), as MEGAcmd shows it.
      if (current.handle === this.roots.root.handle) return '/' + names.reverse().join('/')
      switch (current.type) {
        case NodeType.ROOT:
          return '/' + names.reverse().join('/')
        case NodeType.RUBBISH:
          return '//bin' + (names.length ? '/' + names.reverse().join('/') : '')
        case NodeType.INBOX:
          return '//in' + (names.length ? '/' + names.reverse().join('/') : '')
        default:
          names.push(current.name)
          current = current.parent ? this.nodes.get(current.parent) : undefined
      }
    }
    return names.reverse().join('/')
  }

  private start(path: string): {node: MegaNode; components: string[]} | undefined {
    const split = (rest: string) => rest.split('/').filter((c) => c.length > 0)
    if (path.startsWith('H:')) {
      const node = this.nodes.get(path.slice(2).split('/')[0])
      return node && {node, components: split(path.slice(2)).slice(1)}
    }
    if (path === '//bin' || path.startsWith('//bin/')) return this.roots.rubbish && {node: this.roots.rubbish, components: split(path.slice(5))}
    if (path === '//in' || path.startsWith('//in/')) return this.roots.inbox && {node: this.roots.inbox, components: split(path.slice(4))}
    if (path.startsWith('/')) return {node: this.roots.root, components: split(path)}
    return {node: this.cwd, components: split(path)}
  }

  private step(node: MegaNode, component: string): MegaNode[] {
    if (component === '.') return [node]
    if (component === '..') return [this.parentOf(node)]
    if (node.type === NodeType.FILE) return []
    if (!hasWildcard(component)) return this.nodes.childrenNamed(node.handle, component)
    const pattern = wildcardToRegExp(component)
    return this.nodes.children(node.handle).filter((child) => pattern.test(child.name))
  }

  private parentOf(node: MegaNode): MegaNode {
    return (node.parent && this.nodes.get(node.parent)) || node
  }
}

function dedupe(nodes: MegaNode[]): MegaNode[] {
  const seen = new Set<string>()
  return nodes.filter((n) => (seen.has(n.handle) ? false : (seen.add(n.handle), true)))
}
