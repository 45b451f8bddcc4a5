import {ApiCode, fail} from '../protocol/api-error.js'
import type {Dialect} from '../protocol/dialect.js'
import {newUrlToken, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import type {NodeStore} from './node-store.js'

export interface UploadRow {
  id: string
  user: string
  size: number
  blob: string
  /** JSON [[start, end), …] of an unfinished upload, saved after each chunk. */
  ranges: string | null
  token: string | null
  created: number
  /** `created` in milliseconds (migration 8); null for uploads made by older builds. */
  created_ms: number | null
  completed: number | null
  used: number | null
  dialect: Dialect
}

/** Unfinished or unclaimed uploads older than this are dropped at startup. */
const UPLOAD_TTL_S = 7 * 24 * 3600

/** The `uploads` table: one row per upload URL, from `u` until a `p` claims its completion token. */
export class UploadStore {
  private readonly insertStmt
  private readonly getStmt
  private readonly byTokenStmt
  private readonly completeStmt
  private readonly useStmt
  private readonly rangesStmt
  private readonly insertBlobStmt
  private readonly staleStmt
  private readonly deleteStmt
  private readonly deleteBlobStmt

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare<[string, string, number, string, number, number, Dialect]>(
      'INSERT INTO uploads (id, user, size, blob, created, created_ms, dialect) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.getStmt = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?')
    this.byTokenStmt = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE token = ?')
    this.completeStmt = db.prepare<[string, number, string]>('UPDATE uploads SET token = ?, completed = ?, ranges = NULL WHERE id = ?')
    this.useStmt = db.prepare<[number, string]>('UPDATE uploads SET used = ? WHERE id = ?')
    this.rangesStmt = db.prepare<[string, string]>('UPDATE uploads SET ranges = ? WHERE id = ?')
    this.insertBlobStmt = db.prepare<[string, number, number]>('INSERT INTO blobs (id, size, created) VALUES (?, ?, ?)')
    this.staleStmt = db.prepare<[number], UploadRow>('SELECT * FROM uploads WHERE created < ?')
    this.deleteStmt = db.prepare<[string]>('DELETE FROM uploads WHERE id = ?')
    this.deleteBlobStmt = db.prepare<[string]>('DELETE FROM blobs WHERE id = ?')
  }

  /** A new upload of `size` bytes into a new blob; returns its URL token. */
  create(user: string, size: number, dialect: Dialect): string {
    const id = newUrlToken()
    const now = Date.now()
    this.insertStmt.run(id, user, size, newUrlToken(), Math.floor(now / 1000), now, dialect)
    return id
  }

  get(id: string): UploadRow | undefined {
    return this.getStmt.get(id)
  }

  /**
   * The file behind a completion token, for `p`. A token names one upload of this account and can make
   * one node (guess: the sources do not say what the real service does with a reused token; ENOENT here).
   */
  consume(user: string, token: string): {blob: string; size: number} {
    const row = this.byTokenStmt.get(token)
    if (!row || row.user !== user || row.used !== null) fail(ApiCode.ENOENT, 'unknown upload token')
    this.useStmt.run(nowSeconds(), row.id)
    return {blob: row.blob, size: row.size}
  }

  saveRanges(id: string, ranges: Array<[number, number]>): void {
    this.rangesStmt.run(JSON.stringify(ranges), id)
  }

  /** Records the finished blob and the upload's completion token, in one transaction. */
  complete(id: string, blob: string, size: number, token: string): void {
    const now = nowSeconds()
    this.db.transaction(() => {
      this.insertBlobStmt.run(blob, size, now)
      this.completeStmt.run(token, now, id)
    })()
  }

  /** Drops uploads nobody finished or claimed within a week; returns the blobs no node uses, to delete. */
  dropStale(nodes: NodeStore): string[] {
    const cutoff = nowSeconds() - UPLOAD_TTL_S
    const orphan: string[] = []
    this.db.transaction(() => {
      for (const row of this.staleStmt.all(cutoff)) {
        this.deleteStmt.run(row.id)
        if (row.used === null && !nodes.blobInUse(row.blob)) {
          this.deleteBlobStmt.run(row.blob)
          orphan.push(row.blob)
        }
      }
    })()
    return orphan
  }
}
