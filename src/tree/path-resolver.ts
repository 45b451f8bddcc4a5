import type {NodeStore} from '../store/node-store.js'
import {hasWildcard, wildcardToRegExp} from './glob.js'
import type {InShareRoot} from './in-shares.js'
import {isLiteralPattern, nameMatcher} from './name-pattern.js'
import {type MegaNode, NodeType} from './node.js'
import {fileTime, parseVersionName} from './version-name.js'

export interface Roots {
  root: MegaNode
  inbox?: MegaNode
  rubbish?: MegaNode
  /** The folders other users share with the account, nested ones too (in-shares.ts), read when a path needs them. */
  inShares?: () => InShareRoot[]
}

/** How path components are matched: MEGAcmd's wildcards, or with `--use-pcre` regular expressions (name-pattern.ts). */
export interface MatchOptions {
  pcre?: boolean
}

/** The explicit prefix of paths into folders shared with the account (MEGAcmd `//from/user@mail:share`). */
const FROM = '//from/'

/** Where a path stops matching: the deepest node that exists and the components left after it. */
export interface PartialResolution {
  node: MegaNode
  missing: string[]
}

/**
 * Remote path resolution as MEGAcmd does it (megacmd-reference.md §4 "Remote path syntax"): `/a/b` from the
 * cloud root, `a/b` from the cwd, `.`/`..`, `//bin` (rubbish) and `//in` (inbox/vault), `H:<handle>`,
 * `user@mail:share/a` and `//from/user@mail:share/a` in a folder that user shares with us (`//from/` patterns
 * match across them), and `*`/`?` wildcards in any component. Every step is one indexed query, so cost is O(depth).
 */
export class PathResolver {
  private cwdNode?: MegaNode
  private inShareList?: InShareRoot[]

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
  resolve(path: string, options: MatchOptions = {}): MegaNode[] {
    return dedupe(this.matches(path, options).map((match) => match.node))
  }

  /**
   * Every node the (possibly wildcard) path names, in MEGAcmd's order, each with the path MEGAcmd shows for it
   * (megacmdexecuter.cpp nodesPathsbypath/getPathsMatching): the path as typed with each wildcard component
   * replaced by the matched name, relative paths staying relative (`p*` → `photos`, `./p*` → `./photos`)
   * and absolute ones starting from their base's own path (`/p*` → `/photos`).
   */
  matches(path: string, options: MatchOptions = {}): PathMatch[] {
    const matches: PathMatch[] = []
    // MEGAcmd writes the matches of a `//from/` path with that prefix (nodesPathsbypath).
    const from = path.startsWith(FROM) ? FROM : ''
    for (const start of this.starts(path)) {
      if (start.parts.length === 0) matches.push({node: start.node, path: from + this.pathOf(start.node)})
      else this.walk(start.node, start.parts, start.relative ? '' : from + withSlash(this.pathOf(start.node)), matches, Boolean(options.pcre))
    }
    return matches
  }

  /**
   * Where a path starts: one base, or with a `//from/` pattern (`//from/*`, `//from/bob@*:docs`) each folder
   * shared with us whose `user@mail:name` it matches (MEGAcmd nodesPathsbypath, "pattern trying to match inshares").
   */
  private starts(path: string): Start[] {
    if (path.startsWith(FROM)) {
      const rest = path.slice(FROM.length)
      const slash = rest.indexOf('/')
      const base = slash < 0 ? rest : rest.slice(0, slash)
      if (hasWildcard(base)) {
        const pattern = wildcardToRegExp(base)
        const parts = slash < 0 ? [] : splitPath(rest.slice(slash + 1))
        return this.inShares().filter((share) => share.top && pattern.test(`${share.email}:${share.node.name}`)).map((share) => ({node: share.node, parts, relative: false}))
      }
    }
    const start = this.start(path)
    return start ? [start] : []
  }

  private walk(node: MegaNode, parts: string[], prefix: string, matches: PathMatch[], pcre: boolean): void {
    const [part, ...rest] = parts
    const last = rest.length === 0
    if (part === '.' || part === '') {
      if (last) matches.push({node, path: prefix + part})
      else this.walk(node, rest, prefix + './', matches, pcre)
      return
    }
    if (part === '..') {
      const parent = this.parentOf(node)
      if (!parent) return
      if (last) matches.push({node: parent, path: prefix + '..'})
      else this.walk(parent, rest, prefix + '../', matches, pcre)
      return
    }
    for (const {node: child, name} of this.childrenMatching(node, part, pcre)) {
      if (last) matches.push({node: child, path: prefix + name})
      else this.walk(child, rest, prefix + name + '/', matches, pcre)
    }
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
    const components = start.parts.filter((c) => c !== '')
    for (let i = 0; i < components.length; i++) {
      const component = components[i]
      if (component === '.') continue
      if (component === '..') {
        const parent = this.parentOf(node)
        if (!parent) return undefined
        node = parent
        continue
      }
      if (node.type === NodeType.FILE) return undefined
      const child = this.nodes.childrenNamed(node.handle, component)[0]
      if (!child) return {node, missing: components.slice(i).filter((c) => c !== '.')}
      node = child
    }
    return {node, missing: []}
  }

  /**
   * pathOf(child) for a child of a folder whose path is known, without walking up to the root again (a listing of n
   * rows made n walks). A child of a folder is never a version; a folder shared with us on its own is titled by its
   * share, as pathOf does.
   */
  pathUnder(folderPath: string, child: MegaNode): string {
    if (child.type === NodeType.FOLDER && this.inShareOf(child)) return this.pathOf(child)
    return folderPath.endsWith('/') ? folderPath + child.name : `${folderPath}/${child.name}`
  }

  /** The MEGAcmd-style absolute path of a node: `/a/b`, `//bin/x`, `//in/y`. */
  pathOf(node: MegaNode): string {
    const names: string[] = []
    let current: MegaNode | undefined = node
    for (let guard = 0; current && guard < 10000; guard++) {
      // In a folder-link session the exported folder is the root (`/`), as MEGAcmd shows it.
      if (current.handle === this.roots.root.handle) return '/' + names.reverse().join('/')
      // A folder shared with us: `user@mail:share/…` (the SDK's MegaApi::getNodePath for inbound shares).
      const share = current.type === NodeType.FOLDER ? this.inShareOf(current) : undefined
      if (share) return `${share.email}:${[current.name, ...names.reverse()].join('/')}`
      switch (current.type) {
        case NodeType.ROOT:
          return '/' + names.reverse().join('/')
        case NodeType.RUBBISH:
          return '//bin' + (names.length ? '/' + names.reverse().join('/') : '')
        case NodeType.INBOX:
          return '//in' + (names.length ? '/' + names.reverse().join('/') : '')
        default:
          if (current.type === NodeType.FILE && this.nodes.isVersion(current)) {
            // An old version sits under its newer versions: it is shown as `name#<mtime>` in its file's folder.
            names.push(`${current.name}#${fileTime(current)}`)
            while (current && this.nodes.isVersion(current)) current = this.nodes.get(current.parent!)
          } else {
            names.push(current.name)
          }
          current = current?.parent ? this.nodes.get(current.parent) : undefined
      }
    }
    return names.reverse().join('/')
  }

  /**
   * Where a path starts and its components after that base (MEGAcmd getBaseNode + getPathParts): empty
   * components are kept, as MEGAcmd reads them as '.'.
   */
  private start(path: string): Start | undefined {
    const split = splitPath
    if (path.startsWith('H:')) {
      const slash = path.indexOf('/')
      const node = this.nodes.get(slash < 0 ? path.slice(2) : path.slice(2, slash))
      return node && {node, parts: slash < 0 ? [] : split(path.slice(slash + 1)), relative: false}
    }
    if (path === '//bin' || path.startsWith('//bin/')) return this.roots.rubbish && {node: this.roots.rubbish, parts: split(path.slice(6)), relative: false}
    if (path === '//in' || path.startsWith('//in/')) return this.roots.inbox && {node: this.roots.inbox, parts: split(path.slice(5)), relative: false}
    const from = path.startsWith(FROM)
    if (path.startsWith('/') && !from) return {node: this.roots.root, parts: split(path.slice(1)), relative: false}
    const rest = from ? path.slice(FROM.length) : path
    const slash = rest.indexOf('/')
    const base = slash < 0 ? rest : rest.slice(0, slash)
    const colon = base.indexOf(':')
    const at = base.indexOf('@')
    // `user@mail:share` (MEGAcmd getBaseNode: an '@' before a ':' in the first component). Nothing after it (or
    // just '/') is one empty component, as MEGAcmd's getPathParts makes it: the match is then titled `…:share/`.
    if (at >= 0 && colon > at) {
      const email = base.slice(0, colon).toLowerCase()
      const name = base.slice(colon + 1)
      const share = this.inShares().find((s) => s.top && s.email.toLowerCase() === email && s.node.name === name)
      return share && {node: share.node, parts: slash < 0 || slash === rest.length - 1 ? [''] : split(rest.slice(slash + 1)), relative: false}
    }
    if (from) return undefined
    return {node: this.cwd, parts: split(path), relative: true}
  }

  private inShares(): InShareRoot[] {
    this.inShareList ??= this.roots.inShares?.() ?? []
    return this.inShareList
  }

  private inShareOf(node: MegaNode): InShareRoot | undefined {
    return this.inShares().find((share) => share.node.handle === node.handle)
  }

  /**
   * The children a component names, each with the name its path shows. `name#<mtime>` names the version of
   * each matching file whose mtime that is, the file itself included, as `name#<mtime>` (MEGAcmd
   * getPathsMatching: the base is a pattern, the suffix compared with each of getVersions' modification times).
   */
  private childrenMatching(node: MegaNode, component: string, pcre: boolean): Array<{node: MegaNode; name: string}> {
    const version = parseVersionName(component)
    if (version) {
      return this.childrenNamed(node, version.name, pcre).flatMap((file) => {
        const found = [file, ...this.nodes.versionsOf(file.handle)].find((v) => v.type === NodeType.FILE && fileTime(v) === version.mtime)
        return found ? [{node: found, name: `${file.name}#${version.mtime}`}] : []
      })
    }
    return this.childrenNamed(node, component, pcre).map((child) => ({node: child, name: child.name}))
  }

  private childrenNamed(node: MegaNode, component: string, pcre: boolean): MegaNode[] {
    if (node.type === NodeType.FILE) return []
    if (isLiteralPattern(component, pcre)) return this.nodes.childrenNamed(node.handle, component)
    const matches = nameMatcher(component, pcre)
    return this.nodes.children(node.handle).filter((child) => matches(child.name))
  }

  /** A node's parent; none above a root (MEGAcmd: `cd ..` in `/` is "No such file or directory"). */
  private parentOf(node: MegaNode): MegaNode | undefined {
    return node.parent ? this.nodes.get(node.parent) : undefined
  }
}

/** Where a path starts: a base node and the components after it. */
interface Start {
  node: MegaNode
  parts: string[]
  relative: boolean
}

function splitPath(rest: string): string[] {
  return rest === '' ? [] : rest.split('/')
}

/** One match of a path: the node and the path MEGAcmd shows for it. */
export interface PathMatch {
  node: MegaNode
  path: string
}

function withSlash(path: string): string {
  return path.endsWith('/') ? path : path + '/'
}

function dedupe(nodes: MegaNode[]): MegaNode[] {
  const seen = new Set<string>()
  return nodes.filter((n) => (seen.has(n.handle) ? false : (seen.add(n.handle), true)))
}
