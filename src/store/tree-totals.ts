import {NodeType} from '../tree/node.js'
import type {Db} from './database.js'
import {isVersionPath, VERSION_RANGE} from './tree-paths.js'

/**
 * What a node's subtree holds, the node itself included: the SDK's NodeCounter (meganz/sdk include/mega/node.h;
 * operator += / -= in src/utils.cpp): files and their bytes, folders (a root is not one), and the older versions of
 * those files and their bytes. A file's totals are itself plus its versions; an old version's are itself plus the
 * older ones below it.
 */
export interface SubtreeTotals {
  files: number
  folders: number
  bytes: number
  versions: number
  versionBytes: number
}

const NONE: SubtreeTotals = {files: 0, folders: 0, bytes: 0, versions: 0, versionBytes: 0}

interface NodeFacts {
  handle: string
  parent: string | null
  type: number
  size: number
  path: string
}

type VersionChain = Pick<SubtreeTotals, 'versions' | 'versionBytes'>

/** What a reload sums per parent while it writes its children (bulk-node-loader.ts). */
export type ChildSums = Pick<SubtreeTotals, 'files' | 'folders' | 'bytes'>

const KEPT_COLUMNS = 'sub_files AS files, sub_folders AS folders, sub_bytes AS bytes, sub_versions AS versions, sub_version_bytes AS versionBytes'

/**
 * The versions directly below a file or version. `+type`: without it SQLite searched nodes_by_type (type = 0: every
 * file) instead of the parent's few children, and each file written cost a scan of all files (10,000 uploaded into
 * an account of 10,000 files: 13 s of the put's CPU, profiled).
 */
export const OLDER_VERSIONS_SQL = 'SELECT handle, size FROM nodes WHERE parent = ? AND +type = 0'

/**
 * The totals of every folder (and root) kept in its own row (the `sub_*` columns of `nodes`, migrations.ts), so `du`
 * reads one row instead of adding up a range of a million index entries. Kept as the SDK keeps its NodeCounters
 * (src/nodemanager.cpp NodeManager::updateCounter_internal: the node's counter is taken off the folders above its
 * old place and added to those above its new one; calculateNodeCounter once at the end of a full fetch): NodeStore
 * detaches a node before it moves, changes or goes and attaches it after it is written, and a reload counts
 * everything once (recountAll). The folders above a node are the handles of its path (tree-paths.ts): one UPDATE
 * for all of them. Files keep no row: their totals are their size and their version chain, read when needed.
 */
export class TreeTotals {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      node: db.prepare<[string], NodeFacts>('SELECT handle, parent, type, size, path FROM nodes WHERE handle = ?'),
      kept: db.prepare<[string], SubtreeTotals>(`SELECT ${KEPT_COLUMNS} FROM nodes WHERE handle = ?`),
      children: db.prepare<[string], NodeFacts>('SELECT handle, parent, type, size, path FROM nodes WHERE parent = ?'),
      olderVersions: db.prepare<[string], {handle: string; size: number}>(OLDER_VERSIONS_SQL),
      // Files are in the list (the current file above a version) but keep no totals.
      shift: db.prepare<SubtreeTotals & {above: string}>(`UPDATE nodes SET sub_files = sub_files + @files, sub_folders = sub_folders + @folders,
        sub_bytes = sub_bytes + @bytes, sub_versions = sub_versions + @versions, sub_version_bytes = sub_version_bytes + @versionBytes
        WHERE handle IN (SELECT value FROM json_each(@above)) AND type != 0`),
      set: db.prepare<SubtreeTotals & {handle: string}>(`UPDATE nodes SET sub_files = @files, sub_folders = @folders, sub_bytes = @bytes,
        sub_versions = @versions, sub_version_bytes = @versionBytes WHERE handle = @handle`),
      folders: db.prepare<[], {handle: string; type: number; path: string}>('SELECT handle, type, path FROM nodes WHERE type > 0'),
      // The version chains of the current files: each file's direct version (in the version path range), then the
      // older ones below it.
      chains: db.prepare<[], {path: string; versions: number; versionBytes: number}>(`WITH RECURSIVE chain(file, handle, size) AS (
          SELECT file.path, version.handle, version.size FROM nodes AS version JOIN nodes AS file ON file.handle = version.parent
          WHERE version.path >= '${VERSION_RANGE.from}' AND version.path < '${VERSION_RANGE.to}' AND file.path < '${VERSION_RANGE.from}'
          UNION ALL
          SELECT chain.file, older.handle, older.size FROM chain JOIN nodes AS older ON older.parent = chain.handle AND older.type = 0
        )
        SELECT file AS path, COUNT(*) AS versions, SUM(size) AS versionBytes FROM chain GROUP BY file`),
    }
  }

  /** The totals of `handle`'s subtree; zeros for a node that is not cached. */
  of(handle: string): SubtreeTotals {
    const node = this.stmts.node.get(handle)
    return node ? this.totalsOf(node) : NONE
  }

  /** Takes a node's totals off the folders above it: before it moves, changes or is deleted. */
  detach(handle: string): void {
    this.shift(handle, -1)
  }

  /** Adds a node's totals to the folders above it: after it is written where it now is. */
  attach(handle: string): void {
    this.shift(handle, 1)
  }

  /** Counts a new folder's own row: itself and the children that arrived before it (tree-paths.ts placed). */
  recount(handle: string): void {
    const node = this.stmts.node.get(handle)
    if (!node || node.type === NodeType.FILE) return
    const totals = {...NONE, folders: node.type === NodeType.FOLDER ? 1 : 0}
    for (const child of this.stmts.children.all(handle)) add(totals, this.totalsOf(child))
    this.stmts.set.run({handle, ...totals})
  }

  /**
   * Counts every folder from scratch after a reload (as the SDK's initCompleted runs calculateNodeCounter once the
   * fetch is in), from what the loader summed while it wrote the nodes: the files, their bytes and the folders
   * directly inside each parent. Each folder's sums go to it and every folder on its path; then each version chain
   * to the folders above its file. Reading the million nodes back instead cost 1.9 s of CPU at 1M nodes (better-sqlite3
   * hands each row to JavaScript); this reads only the folders and the versions.
   */
  recountAll(inside: ReadonlyMap<string, ChildSums>): void {
    const counted = new Map<string, SubtreeTotals>()
    const folders = this.stmts.folders.all()
    for (const {handle, type} of folders) counted.set(handle, {...NONE, folders: type === NodeType.FOLDER ? 1 : 0})
    const addAlong = (path: string, totals: Partial<SubtreeTotals>) => {
      for (const handle of path.slice(1, -1).split('/')) {
        const into = counted.get(handle)
        if (into) add(into, {...NONE, ...totals})
      }
    }
    for (const {handle, path} of folders) {
      const sums = inside.get(handle)
      if (sums) addAlong(path, sums)
    }
    for (const {path, versions, versionBytes} of this.stmts.chains.all()) addAlong(path, {versions, versionBytes})
    for (const [handle, totals] of counted) this.stmts.set.run({handle, ...totals})
  }

  private shift(handle: string, sign: 1 | -1): void {
    const node = this.stmts.node.get(handle)
    if (!node) return
    const above = this.above(node)
    if (above.length === 0) return
    const totals = this.totalsOf(node)
    this.stmts.shift.run({
      above: JSON.stringify(above), files: sign * totals.files, folders: sign * totals.folders, bytes: sign * totals.bytes,
      versions: sign * totals.versions, versionBytes: sign * totals.versionBytes,
    })
  }

  /** The handles of the folders whose totals include `node`: those of its path, or for a version its file's. */
  private above(node: NodeFacts): string[] {
    let file = node
    while (isVersionPath(file.path)) {
      const newer = file.parent === null ? undefined : this.stmts.node.get(file.parent)
      if (!newer) return []
      file = newer
    }
    const handles = file.path.slice(1, -1).split('/')
    return file === node ? handles.slice(0, -1) : handles
  }

  private totalsOf(node: NodeFacts): SubtreeTotals {
    if (node.type !== NodeType.FILE) return this.stmts.kept.get(node.handle) ?? NONE
    const chain = this.chainBelow(node.handle)
    return isVersionPath(node.path)
      ? {...NONE, versions: chain.versions + 1, versionBytes: chain.versionBytes + node.size}
      : {...NONE, files: 1, bytes: node.size, ...chain}
  }

  /** The older versions below a file or version (mega-api.md §4.7: a version is a file child of a file). */
  private chainBelow(handle: string): VersionChain {
    const chain = {versions: 0, versionBytes: 0}
    for (const older of this.stmts.olderVersions.all(handle)) {
      const below = this.chainBelow(older.handle)
      chain.versions += below.versions + 1
      chain.versionBytes += below.versionBytes + older.size
    }
    return chain
  }
}

function add(into: SubtreeTotals, totals: SubtreeTotals): void {
  into.files += totals.files
  into.folders += totals.folders
  into.bytes += totals.bytes
  into.versions += totals.versions
  into.versionBytes += totals.versionBytes
}
