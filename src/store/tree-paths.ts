import {NodeType} from '../tree/node.js'
import type {Db} from './database.js'

/** Where the paths of old file versions start: after '/', so outside every subtree range. */
const VERSION_PREFIX = '~'

/** The range of the version paths: every other path is below `from`. */
export const VERSION_RANGE = {from: VERSION_PREFIX, to: `${VERSION_PREFIX}\x7f`}

/** True for the path of an old file version. */
export function isVersionPath(path: string): boolean {
  return path.startsWith(VERSION_PREFIX)
}

/**
 * The `path` column of the cached nodes: '/' then the handles from the topmost cached ancestor down to the node,
 * each followed by '/' (`/ROOT/FOLDER/FILE/`). A node and everything below it are then the index range
 * [path, path + '\x7f') (handles are base64url, all below 0x7f), so `du` and `find` over a subtree are one range
 * scan of the `nodes_subtree` index, whatever its size, instead of a walk one folder at a time.
 *
 * Nodes may arrive before their parent (an `f` reply or a `t` packet in any order): such a node is kept as the top
 * of its own path until its parent arrives and adopts it.
 *
 * An old file version (a file whose parent is a file, mega-api.md §4.7) gets the path `~<handle>/`, outside every
 * '/' range: du and find never see versions, and a file's subtree is the file alone. The versions of a deleted file
 * are deleted with it (deleteSubtree: the server removes a file's versions with it, and tells the legacy dialect
 * only of the file).
 */
export class TreePaths {
  private readonly pathStmt
  private readonly parentStmt
  private readonly childrenStmt
  private readonly orphanVersionsStmt
  private readonly repathStmt
  private readonly deleteStmt

  constructor(db: Db) {
    this.pathStmt = db.prepare<[string], {path: string}>('SELECT path FROM nodes WHERE handle = ?')
    this.parentStmt = db.prepare<[string], {path: string; type: number}>('SELECT path, type FROM nodes WHERE handle = ?')
    // Versions whose file is gone (a version's file may itself be a version: one pass per link of the chain).
    this.orphanVersionsStmt = db.prepare(`DELETE FROM nodes WHERE path >= '${VERSION_RANGE.from}' AND path < '${VERSION_RANGE.to}'
      AND NOT EXISTS (SELECT 1 FROM nodes AS file WHERE file.handle = nodes.parent)`)
    this.childrenStmt = db.prepare<[string], {handle: string; path: string}>('SELECT handle, path FROM nodes WHERE parent = ?')
    this.repathStmt = db.prepare<{from: string; end: string; to: string; cut: number}>(
      'UPDATE nodes SET path = @to || substr(path, @cut) WHERE path >= @from AND path < @end')
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM nodes WHERE path >= ? AND path < ?')
  }

  /** The stored path of a node; undefined when it is not cached. */
  pathOf(handle: string): string | undefined {
    return this.pathStmt.get(handle)?.path
  }

  /** The path a node gets under `parent` (the top of its own path while the parent is not cached). */
  pathUnder(handle: string, parent: string | null): string {
    const parentRow = parent ? this.parentStmt.get(parent) : undefined
    if (parentRow?.type === NodeType.FILE) return `${VERSION_PREFIX}${handle}/`
    return `${parentRow?.path ?? '/'}${handle}/`
  }

  /**
   * After a node was written with `path`: its subtree follows it when it moved (`before` is its previous path),
   * and when it is new, children that arrived before it are moved under it.
   */
  placed(handle: string, path: string, before: string | undefined): void {
    if (before !== undefined) {
      if (before !== path) this.move(before, path)
      return
    }
    for (const child of this.childrenStmt.all(handle)) {
      const expected = this.pathUnder(child.handle, handle)
      if (child.path !== expected) this.move(child.path, expected)
    }
  }

  /** Rewrites every path in the subtree `from` (the node itself included) to start with `to`. */
  move(from: string, to: string): void {
    this.repathStmt.run({from, end: subtreeEnd(from), to, cut: from.length + 1})
  }

  /** Deletes a node and its subtree; for a node not cached, the subtrees of its children that arrived without it. */
  deleteSubtree(handle: string): void {
    const path = this.pathOf(handle)
    const tops = path !== undefined ? [path] : this.childrenStmt.all(handle).map((child) => child.path)
    for (const top of tops) this.deleteStmt.run(top, subtreeEnd(top))
    while (this.orphanVersionsStmt.run().changes > 0);
  }
}

/** The exclusive upper bound of the subtree range of `path`. */
export function subtreeEnd(path: string): string {
  return `${path}\x7f`
}
