import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, mkdirSync, openSync} from 'node:fs'
import {join} from 'node:path'
import type {IssuePath, SyncIssue, SyncMode} from '../service/sync-protocol.js'

/** The file beside the profile's cache: the syncs, what each last left in sync, and their issues. */
export const SYNC_STATE_FILE = 'syncs.db'

/** A sync as configured. */
export interface SyncRecord {
  id: string
  localPath: string
  remoteHandle: string
  remotePath: string
  mode: SyncMode
  maxDelete: number
  paused: boolean
  /** The account (user handle) the sync belongs to: it only runs in that account's session. */
  account: string
  created: number
}

export enum EntryKind {
  FILE = 0,
  FOLDER = 1,
}

/**
 * What a path was when both sides last agreed on it: the middle of the three-way model (local, synced, remote).
 * A local change shows as another size or mtime, a local move as the inode at another path; a remote change as
 * another handle (a new version is a new node), a remote move as the handle at another path.
 */
export interface SyncedEntry {
  /** Relative to the roots, `/`-separated, NFC: the key under which both sides meet. */
  path: string
  kind: EntryKind
  size: number
  /** Local mtime in ms, as stat gave it after the last transfer. */
  mtimeMs: number
  inode: number
  handle: string
  /** MEGA's fingerprint of the content (files), for recognising identical content. */
  fingerprint: string | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS syncs (
  id TEXT PRIMARY KEY, local_path TEXT NOT NULL, remote_handle TEXT NOT NULL, remote_path TEXT NOT NULL,
  mode TEXT NOT NULL, max_delete INTEGER NOT NULL, paused INTEGER NOT NULL, account TEXT NOT NULL, created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS synced (
  sync_id TEXT NOT NULL, path TEXT NOT NULL, kind INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
  inode INTEGER NOT NULL, handle TEXT NOT NULL, fingerprint TEXT,
  PRIMARY KEY (sync_id, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS synced_handle ON synced (handle);
CREATE TABLE IF NOT EXISTS issues (
  id TEXT PRIMARY KEY, sync_id TEXT NOT NULL, reason TEXT NOT NULL, description TEXT, raised INTEGER NOT NULL,
  paths TEXT NOT NULL, lasting INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`

interface SyncRow {
  id: string
  local_path: string
  remote_handle: string
  remote_path: string
  mode: string
  max_delete: number
  paused: number
  account: string
  created: number
}

interface SyncedRow {
  path: string
  kind: number
  size: number
  mtime_ms: number
  inode: number
  handle: string
  fingerprint: string | null
}

interface IssueRow {
  id: string
  sync_id: string
  reason: string
  description: string | null
  raised: number
  paths: string
}

/**
 * The sync service's memory, in SQLite (WAL) in the profile: a restart (or kill -9) resumes from what was last
 * recorded, so nothing already in sync is transferred again. Each action of a pass records its outcome at once.
 */
export class SyncStore {
  private readonly db: Database.Database
  private readonly putEntry: Database.Statement<[string, string, number, number, number, number, string, string | null]>
  private readonly dropEntry: Database.Statement<[string, string]>
  private readonly findHandle: Database.Statement<[string, string], {one: number}>

  constructor(home: string) {
    mkdirSync(home, {recursive: true, mode: 0o700})
    const file = join(home, SYNC_STATE_FILE)
    // Owner-only before SQLite opens it: it holds local and remote paths.
    closeSync(openSync(file, 'a', 0o600))
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.pragma('synchronous = NORMAL')
    for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
    this.db.exec(SCHEMA)
    this.putEntry = this.db.prepare('INSERT OR REPLACE INTO synced (sync_id, path, kind, size, mtime_ms, inode, handle, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    this.dropEntry = this.db.prepare('DELETE FROM synced WHERE sync_id = ? AND path = ?')
    this.findHandle = this.db.prepare('SELECT 1 AS one FROM synced WHERE handle = ? AND sync_id = ? LIMIT 1')
  }

  close(): void {
    this.db.close()
  }

  /** The connection, for releaseMemory (engine/memory-release.ts). */
  get database(): Database.Database {
    return this.db
  }

  syncs(): SyncRecord[] {
    return this.db.prepare<[], SyncRow>('SELECT * FROM syncs ORDER BY created, id').all().map(toRecord)
  }

  addSync(record: SyncRecord): void {
    this.db.prepare('INSERT INTO syncs (id, local_path, remote_handle, remote_path, mode, max_delete, paused, account, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, record.localPath, record.remoteHandle, record.remotePath, record.mode, record.maxDelete, record.paused ? 1 : 0, record.account, record.created)
  }

  updateSync(record: SyncRecord): void {
    this.db.prepare('UPDATE syncs SET remote_path = ?, mode = ?, max_delete = ?, paused = ? WHERE id = ?').run(record.remotePath, record.mode, record.maxDelete, record.paused ? 1 : 0, record.id)
  }

  /** The sync, what it had in sync and its issues go; the files stay on both sides. */
  removeSync(id: string): void {
    this.db.transaction(() => {
      for (const table of ['syncs', 'synced', 'issues']) this.db.prepare(`DELETE FROM ${table} WHERE ${table === 'syncs' ? 'id' : 'sync_id'} = ?`).run(id)
    })()
  }

  entries(syncId: string): Map<string, SyncedEntry> {
    const entries = new Map<string, SyncedEntry>()
    for (const row of this.db.prepare<[string], SyncedRow>('SELECT path, kind, size, mtime_ms, inode, handle, fingerprint FROM synced WHERE sync_id = ?').iterate(syncId)) {
      entries.set(row.path, {path: row.path, kind: row.kind as EntryKind, size: row.size, mtimeMs: row.mtime_ms, inode: row.inode, handle: row.handle, fingerprint: row.fingerprint})
    }
    return entries
  }

  countEntries(syncId: string): number {
    return (this.db.prepare<[string], {n: number}>('SELECT count(*) AS n FROM synced WHERE sync_id = ?').get(syncId)?.n) ?? 0
  }

  /** Whether the sync had this node in sync (a deletion of it concerns the sync). */
  hasHandle(syncId: string, handle: string): boolean {
    return this.findHandle.get(handle, syncId) !== undefined
  }

  record(syncId: string, entry: SyncedEntry): void {
    this.putEntry.run(syncId, entry.path, entry.kind, entry.size, entry.mtimeMs, entry.inode, entry.handle, entry.fingerprint)
  }

  forget(syncId: string, path: string): void {
    this.dropEntry.run(syncId, path)
  }

  /** A folder and everything under it. */
  forgetTree(syncId: string, path: string): void {
    this.db.prepare('DELETE FROM synced WHERE sync_id = ? AND (path = ? OR (path >= ? AND path < ?))').run(syncId, path, `${path}/`, `${path}0`)
  }

  /** A moved folder's entries follow it: `from` and everything under it now live under `to`. */
  moveTree(syncId: string, from: string, to: string): void {
    this.db.transaction(() => {
      this.forgetTree(syncId, to)
      this.db.prepare('UPDATE synced SET path = ? || substr(path, ?) WHERE sync_id = ? AND (path = ? OR (path >= ? AND path < ?))')
        .run(to, from.length + 1, syncId, from, `${from}/`, `${from}0`)
    })()
  }

  /** Many records in one transaction (a pass's results). */
  batch(fn: () => void): void {
    this.db.transaction(fn)()
  }

  issues(syncId?: string): SyncIssue[] {
    const rows = syncId === undefined
      ? this.db.prepare<[], IssueRow>('SELECT * FROM issues ORDER BY raised, id').all()
      : this.db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE sync_id = ? ORDER BY raised, id').all(syncId)
    return rows.map((row) => ({id: row.id, syncId: row.sync_id, reason: row.reason, ...(row.description ? {description: row.description} : {}), raised: row.raised, paths: JSON.parse(row.paths) as IssuePath[]}))
  }

  /**
   * The issues a pass found replace those of the previous pass; `lasting` ones (conflicts: the user decides what to
   * keep) stay until dropIssue. An issue found again keeps its id and when it was first raised.
   */
  replaceIssues(syncId: string, found: SyncIssue[]): void {
    this.db.transaction(() => {
      const ids = new Set(found.map((issue) => issue.id))
      for (const {id} of this.db.prepare<[string], {id: string}>('SELECT id FROM issues WHERE sync_id = ? AND lasting = 0').all(syncId)) {
        if (!ids.has(id)) this.db.prepare('DELETE FROM issues WHERE id = ?').run(id)
      }
      for (const issue of found) this.saveIssue(issue, false)
    })()
  }

  saveIssue(issue: SyncIssue, lasting: boolean): void {
    this.db.prepare('INSERT INTO issues (id, sync_id, reason, description, raised, paths, lasting) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, description = excluded.description, paths = excluded.paths')
      .run(issue.id, issue.syncId, issue.reason, issue.description ?? null, issue.raised, JSON.stringify(issue.paths), lasting ? 1 : 0)
  }

  lastingIssues(syncId: string): SyncIssue[] {
    return this.issues(syncId).filter((issue) => (this.db.prepare<[string], {lasting: number}>('SELECT lasting FROM issues WHERE id = ?').get(issue.id)?.lasting ?? 0) === 1)
  }

  dropIssue(id: string): void {
    this.db.prepare('DELETE FROM issues WHERE id = ?').run(id)
  }

  setting(key: string): string | undefined {
    return this.db.prepare<[string], {value: string}>('SELECT value FROM settings WHERE key = ?').get(key)?.value
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value)
  }
}

function toRecord(row: SyncRow): SyncRecord {
  return {
    id: row.id, localPath: row.local_path, remoteHandle: row.remote_handle, remotePath: row.remote_path, mode: row.mode as SyncMode,
    maxDelete: row.max_delete, paused: row.paused === 1, account: row.account, created: row.created,
  }
}
