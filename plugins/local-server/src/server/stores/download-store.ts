import {newUrlToken} from '../protocol/handles.js'
import type {Db} from './database.js'

/** Who a download URL belongs to (download-server.ts): the blob it serves and the account it meters. */
export interface DownloadTarget {
  blob: string
  /** The downloading account; null for a URL handed out without a session, which nobody's quota pays for. */
  user: string | null
}

/**
 * The `download_urls` table (migration 8): the URL `g` hands a session for a file names that account, so the
 * bytes served through it count against its transfer quota. One token per account and blob, reused by every `g`.
 */
export class DownloadUrlStore {
  private readonly insertStmt
  private readonly tokenStmt
  private readonly resolveStmt
  private readonly pruneStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string]>('INSERT OR IGNORE INTO download_urls (token, blob, user) VALUES (?, ?, ?)')
    this.tokenStmt = db.prepare<[string, string], {token: string}>('SELECT token FROM download_urls WHERE user = ? AND blob = ?')
    this.resolveStmt = db.prepare<[string], {blob: string; user: string}>('SELECT blob, user FROM download_urls WHERE token = ?')
    this.pruneStmt = db.prepare('DELETE FROM download_urls WHERE blob NOT IN (SELECT id FROM blobs)')
  }

  /** The URL token of `user` for `blob`, made on first use. */
  tokenFor(user: string, blob: string): string {
    const existing = this.tokenStmt.get(user, blob)
    if (existing) return existing.token
    this.insertStmt.run(newUrlToken(), blob, user)
    return this.tokenStmt.get(user, blob)!.token
  }

  /** What a URL token serves: a metered URL of this table, else a bare blob id (the URLs of session-less `g`). */
  resolve(token: string): DownloadTarget {
    const row = this.resolveStmt.get(token)
    return row ? {blob: row.blob, user: row.user} : {blob: token, user: null}
  }

  /** Drops the URLs of blobs that no longer exist. */
  prune(): void {
    this.pruneStmt.run()
  }
}

/** One hour of an account's downloads: `hour` is unix time / 3600, rounded down. */
export interface TransferBucket {
  hour: number
  bytes: number
}

/** The `transfer_use` table (migration 8): bytes downloaded per account and hour. */
export class TransferUseStore {
  private readonly addStmt
  private readonly sinceStmt
  private readonly pruneStmt

  constructor(db: Db) {
    this.addStmt = db.prepare<[string, number, number]>(
      'INSERT INTO transfer_use (user, hour, bytes) VALUES (?, ?, ?) ON CONFLICT (user, hour) DO UPDATE SET bytes = bytes + excluded.bytes')
    this.sinceStmt = db.prepare<[string, number], TransferBucket>('SELECT hour, bytes FROM transfer_use WHERE user = ? AND hour >= ? ORDER BY hour')
    this.pruneStmt = db.prepare<[number]>('DELETE FROM transfer_use WHERE hour < ?')
  }

  add(user: string, hour: number, bytes: number): void {
    this.addStmt.run(user, hour, bytes)
  }

  /** The buckets of `user` from `hour` on, oldest first. */
  since(user: string, hour: number): TransferBucket[] {
    return this.sinceStmt.all(user, hour)
  }

  /** Deletes every bucket older than `hour`. */
  prune(hour: number): void {
    this.pruneStmt.run(hour)
  }
}
