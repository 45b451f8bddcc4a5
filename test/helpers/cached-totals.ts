import {expect} from 'chai'
import Database from 'better-sqlite3'
import {join} from 'node:path'
import type {Db} from '../../src/store/database.js'
import {subtreeEnd} from '../../src/store/tree-paths.js'
import type {SubtreeTotals} from '../../src/store/tree-totals.js'

/**
 * What the totals kept for a node (src/store/tree-totals.ts) must equal: a range scan of its subtree (the way du read
 * it before the totals were kept), and the version chains of the files in that range followed by parent.
 */
export function scannedTotals(db: Db, handle: string): SubtreeTotals {
  const {path} = db.prepare<[string], {path: string}>('SELECT path FROM nodes WHERE handle = ?').get(handle)!
  const tree = db.prepare<[string, string], {files: number; folders: number; bytes: number | null}>(`SELECT COUNT(CASE WHEN type = 0 THEN 1 END) AS files,
    COUNT(CASE WHEN type = 1 THEN 1 END) AS folders, SUM(CASE WHEN type = 0 THEN size END) AS bytes FROM nodes WHERE path >= ? AND path < ?`).get(path, subtreeEnd(path))!
  const versions = db.prepare<[string, string], {versions: number; bytes: number | null}>(`WITH RECURSIVE chain(handle, size, depth) AS (
      SELECT handle, 0, 0 FROM nodes WHERE path >= ? AND path < ? AND type = 0
      UNION ALL
      SELECT older.handle, older.size, chain.depth + 1 FROM nodes AS older JOIN chain ON older.parent = chain.handle
    )
    SELECT COUNT(CASE WHEN depth > 0 THEN 1 END) AS versions, SUM(size) AS bytes FROM chain`).get(path, subtreeEnd(path))!
  return {files: tree.files, folders: tree.folders, bytes: tree.bytes ?? 0, versions: versions.versions, versionBytes: versions.bytes ?? 0}
}

/** The totals kept in the rows of the folders and roots of a profile's cache, each against a scan; how many there are. */
export function expectKeptTotalsMatchScan(home: string, step: string): number {
  const db = new Database(join(home, 'cache.db'), {readonly: true, fileMustExist: true})
  try {
    const rows = db.prepare<[], SubtreeTotals & {handle: string}>(`SELECT handle, sub_files AS files, sub_folders AS folders, sub_bytes AS bytes,
      sub_versions AS versions, sub_version_bytes AS versionBytes FROM nodes WHERE type != 0`).all()
    for (const {handle, ...kept} of rows) expect(kept, `${handle} after ${step}`).to.deep.equal(scannedTotals(db, handle))
    return rows.length
  } finally {
    db.close()
  }
}
