import {NodeType} from '../tree/node.js'
import type {Db} from './database.js'
import {nameRange} from './name-range.js'
import {subtreeEnd, TreePaths} from './tree-paths.js'
import {TreeTotals} from './tree-totals.js'

/** What `du` adds up below a node (the node itself included): the files' bytes, the files and the folders. */
export interface SubtreeUsage {
  bytes: number
  files: number
  folders: number
}

/**
 * Which nodes of a subtree `find` wants (MEGAcmd includeIfMatchesCriteria, megacmdexecuter.cpp). Times and sizes
 * are MEGAcmd's bounds: a node is left out when its modification time is at or after `modifiedBefore` or at or
 * before `modifiedAfter`, and a size bound leaves out everything that is not a file.
 */
export interface SubtreeFilter {
  type?: NodeType.FILE | NodeType.FOLDER
  /** MEGAcmd's `*`/`?` wildcard on the whole name (SQLite GLOB with its `[` escaped). */
  wildcard?: string
  modifiedBefore?: number
  modifiedAfter?: number
  minSize?: number
  maxSize?: number
}

/** One node of a subtree as find reads it, straight from the covering index. */
export interface SubtreeRow {
  handle: string
  /** Its parent's handle; null for the subtree's top. */
  parent: string | null
  type: NodeType
  name: string
  size: number
  /**
   * The modification time the SDK gives the node (MegaNode::getModificationTime): a file's from its fingerprint,
   * else its creation time; 0 for folders and roots, which have none.
   */
  mtime: number
  /** Handles from the subtree's top down to the node (the top's own handle first). */
  lineage: string[]
}

interface IndexRow {
  path: string
  type: number
  name: string
  size: number
  mtime: number | null
  ts: number
}

// A file's time as the SDK has it (Node::setfingerprint: the fingerprint's mtime, else the creation time).
const MTIME = 'CASE WHEN type = 0 THEN COALESCE(mtime, ts) ELSE 0 END'

/**
 * `du` from the totals kept per folder (tree-totals.ts), and `find` over a subtree of any size as one range scan of the
 * `nodes_subtree` index (tree-paths.ts), or for a pattern with a literal start a lookup of its names in `nodes_by_name`
 * (name-range.ts): nothing walks the tree in JavaScript, so their cost follows what they return, not the subtree's size.
 */
export class SubtreeQueries {
  private readonly paths: TreePaths
  private readonly totals: TreeTotals

  constructor(private readonly db: Db) {
    this.paths = new TreePaths(db)
    this.totals = new TreeTotals(db)
  }

  /** The bytes of the older versions of the files below `handle` (itself included). */
  versionBytes(handle: string): number {
    return this.totals.of(handle).versionBytes
  }

  /** The files and folders below `handle` (itself included); zeros for a node that is not cached. */
  usage(handle: string): SubtreeUsage {
    const {bytes, files, folders} = this.totals.of(handle)
    return {bytes, files, folders}
  }

  /** The nodes below `handle` (itself included) that pass `filter`, in no particular order. */
  search(handle: string, filter: SubtreeFilter = {}): SubtreeRow[] {
    const top = this.paths.pathOf(handle)
    if (top === undefined) return []
    const names = filter.wildcard === undefined ? undefined : nameRange(filter.wildcard)
    const rows = this.db.prepare<Record<string, unknown>, IndexRow>(searchSql(filter)).all({
      ...names, top, end: subtreeEnd(top), type: filter.type, glob: filter.wildcard === undefined ? undefined : wildcardToGlob(filter.wildcard),
      modifiedBefore: filter.modifiedBefore, modifiedAfter: filter.modifiedAfter, maxSize: filter.maxSize, minSize: filter.minSize,
    })
    // Where the top's own handle starts: below a top "/A/B/TOP/", "/A/B/TOP/X/Y/" has the lineage [TOP, X, Y].
    const start = top.slice(0, -1).lastIndexOf('/') + 1
    return rows.map((row) => {
      const lineage = row.path.slice(start, -1).split('/')
      return {
        handle: lineage[lineage.length - 1], parent: lineage.length > 1 ? lineage[lineage.length - 2] : null, type: row.type as NodeType,
        name: row.name, size: row.size, mtime: row.type === NodeType.FILE ? (row.mtime ?? row.ts) : 0, lineage,
      }
    })
  }
}

/** MEGAcmd's wildcards as a GLOB: `*` and `?` as they are, `[` (a GLOB class) matched literally. */
function wildcardToGlob(wildcard: string): string {
  return wildcard.replace(/\[/g, '[[]')
}

/**
 * The query of SubtreeQueries.search, its parameters named: @top and @end (the subtree's path range), the name range's
 * (@equals, or @from and @below), @glob, @type, @modifiedBefore, @modifiedAfter, @maxSize, @minSize.
 */
export function searchSql(filter: SubtreeFilter): string {
  const conditions = ['path >= @top', 'path < @end']
  const names = filter.wildcard === undefined ? undefined : nameRange(filter.wildcard)
  if (names && 'equals' in names) conditions.push('name = @equals')
  else if (names) conditions.push('name >= @from', ...(names.below === undefined ? [] : ['name < @below']))
  if (filter.wildcard !== undefined && filter.wildcard !== '*' && !(names && 'equals' in names)) conditions.push('name GLOB @glob')
  if (filter.type !== undefined) conditions.push('type = @type')
  if (filter.modifiedBefore !== undefined) conditions.push(`${MTIME} < @modifiedBefore`)
  if (filter.modifiedAfter !== undefined) conditions.push(`${MTIME} > @modifiedAfter`)
  if (filter.maxSize !== undefined) conditions.push('type = 0 AND size <= @maxSize')
  if (filter.minSize !== undefined) conditions.push('type = 0 AND size >= @minSize')
  // The index is named, not left to the planner: without statistics (no ANALYZE) SQLite prefers the covering
  // nodes_subtree and scans the subtree's whole path range (a million entries) for a name prefix that occurs a few
  // times (EXPLAIN QUERY PLAN, test/unit/subtree-queries.test.ts).
  return `SELECT path, type, name, size, mtime, ts FROM nodes INDEXED BY ${names ? 'nodes_by_name' : 'nodes_subtree'} WHERE ${conditions.join(' AND ')}`
}
