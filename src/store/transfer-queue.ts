import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, openSync} from 'node:fs'
import {join} from 'node:path'
import {ensurePrivateDir} from '../config/paths.js'
import type {TransferDirection} from '../config/profile-settings.js'
import type {FileResume, ResumeBook, SavedTransfer} from '../transfer/resume-point.js'

/** MEGAcmd's transfer states (megacmd-reference.md §7.4), as `transfers` prints them. */
export type TransferState = 'QUEUED' | 'ACTIVE' | 'PAUSED' | 'RETRYING' | 'COMPLETED' | 'CANCELLED' | 'FAILED'


/** What a queued upload needs to run again after a restart: the local source and where it goes. */
export interface QueuedUpload {
  /** Absolute local path of the file or folder. */
  local: string
  /** Handle of the remote folder it goes into. */
  parent: string
  /** The name to give it there; absent = its local name. */
  name?: string
}

/** What a queued download needs: the remote node and where it goes. */
export interface QueuedDownload {
  handle: string
  /** Into this local folder under its own name, or as this path (a file, or a folder merged with -m). */
  target: {into: string} | {path: string}
}

export interface TransferRecord {
  tag: number
  direction: TransferDirection
  /** For people: the local path of an upload, the remote path of a download. */
  source: string
  /** For people: the remote path an upload goes to, the local folder or path of a download. */
  destination: string
  state: TransferState
  bytesTotal: number
  bytesDone: number
  /** Why it failed (FAILED), one line. */
  error?: string
  /** The exit code of that failure. */
  errorCode?: number
  /** The account it belongs to: a queue never runs into another account after a new login. */
  account: string
  created: number
  finished?: number
  job: QueuedUpload | QueuedDownload
}

export type NewTransfer = Omit<TransferRecord, 'tag' | 'state' | 'bytesDone' | 'created' | 'finished' | 'error' | 'errorCode'>

interface Row {
  tag: number
  direction: TransferDirection
  source: string
  destination: string
  state: TransferState
  bytes_total: number
  bytes_done: number
  error: string | null
  error_code: number | null
  account: string
  created: number
  finished: number | null
  job: string
}

/** States a transfer leaves only by a user's action or by running: the queue's pending work. */
export const PENDING_STATES: readonly TransferState[] = ['QUEUED', 'ACTIVE', 'PAUSED', 'RETRYING']

const SCHEMA = `
CREATE TABLE IF NOT EXISTS transfers (
  tag INTEGER PRIMARY KEY AUTOINCREMENT,
  direction TEXT NOT NULL CHECK (direction IN ('upload', 'download')),
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  state TEXT NOT NULL,
  bytes_total INTEGER NOT NULL,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  error_code INTEGER,
  account TEXT NOT NULL,
  created INTEGER NOT NULL,
  finished INTEGER,
  job TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_state ON transfers (state);
CREATE TABLE IF NOT EXISTS transfer_files (
  tag INTEGER NOT NULL,
  file TEXT NOT NULL,
  identity TEXT NOT NULL,
  url TEXT,
  aes_key BLOB,
  nonce BLOB,
  partial TEXT,
  PRIMARY KEY (tag, file)
);
CREATE TABLE IF NOT EXISTS transfer_chunks (
  tag INTEGER NOT NULL,
  file TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  mac BLOB NOT NULL,
  PRIMARY KEY (tag, file, chunk)
);
`

/** The file of the queue in the profile. Not the cache database: that one is rebuilt when damaged or after a logout. */
export const TRANSFER_QUEUE_FILE = 'transfers.db'

/**
 * The background server's transfer queue (`put -q`, `get -q`), in SQLite so that it survives `server stop`, a
 * crash and kill -9, as MEGAcmd's transfers resume after a restart (the SDK keeps its transfer cache in SQLite
 * too: meganz/sdk src/db/sqlite.cpp, table `transfers_<session>`). Tags are never reused (AUTOINCREMENT), so a
 * script holding the tag of an old transfer never acts on a new one.
 */
export class TransferQueueStore {
  private readonly db: Database.Database

  constructor(home: string) {
    ensurePrivateDir(home)
    const file = join(home, TRANSFER_QUEUE_FILE)
    // Owner-only before SQLite opens it: the rows hold local and remote paths.
    closeSync(openSync(file, 'a', 0o600))
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
    this.db.exec(SCHEMA)
  }

  add(transfer: NewTransfer, state: TransferState = 'QUEUED'): TransferRecord {
    const created = Date.now()
    const {lastInsertRowid} = this.db
      .prepare('INSERT INTO transfers (direction, source, destination, state, bytes_total, account, created, job) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(transfer.direction, transfer.source, transfer.destination, state, transfer.bytesTotal, transfer.account, created, JSON.stringify(transfer.job))
    return this.get(Number(lastInsertRowid))!
  }

  get(tag: number): TransferRecord | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM transfers WHERE tag = ?').get(tag)
    return row && fromRow(row)
  }

  /** Every transfer, oldest first. */
  all(): TransferRecord[] {
    return this.db.prepare<[], Row>('SELECT * FROM transfers ORDER BY tag').all().map(fromRow)
  }

  /** The oldest transfer waiting to run. */
  nextQueued(except: ReadonlySet<number>): TransferRecord | undefined {
    for (const row of this.db.prepare<[], Row>("SELECT * FROM transfers WHERE state = 'QUEUED' ORDER BY tag").iterate()) {
      if (!except.has(row.tag)) return fromRow(row)
    }
    return undefined
  }

  setState(tag: number, state: TransferState, failure?: {error: string; code: number}): void {
    const finished = PENDING_STATES.includes(state) ? null : Date.now()
    this.db.prepare('UPDATE transfers SET state = ?, finished = ?, error = ?, error_code = ? WHERE tag = ?').run(state, finished, failure?.error ?? null, failure?.code ?? null, tag)
  }

  setProgress(tag: number, bytesDone: number, bytesTotal: number): void {
    this.db.prepare('UPDATE transfers SET bytes_done = ?, bytes_total = ? WHERE tag = ?').run(bytesDone, bytesTotal, tag)
  }

  /** Forgets all but the newest `keep` finished transfers (`transfers --show-completed` shows them). */
  pruneFinished(keep: number): number {
    return this.db.prepare('DELETE FROM transfers WHERE finished IS NOT NULL AND tag NOT IN (SELECT tag FROM transfers WHERE finished IS NOT NULL ORDER BY tag DESC LIMIT ?)').run(keep).changes
  }

  /** After a restart: what was running is queued again (it resumes); paused stays paused. */
  requeueInterrupted(): number {
    return this.db.prepare("UPDATE transfers SET state = 'QUEUED' WHERE state IN ('ACTIVE', 'RETRYING')").run().changes
  }

  /**
   * Where transfer `tag` keeps the resume points of its files (resume-point.ts): the upload URL, key and nonce, or
   * the partial file, and the MAC of every chunk confirmed, so that a restart continues each file where it stopped.
   */
  resumeBook(tag: number): ResumeBook {
    return {file: (file, identity) => new StoredResume(this.db, tag, file, identity)}
  }

  /** Forgets the resume points of transfer `tag`; returns the partial files they named, for the caller to delete. */
  forgetFiles(tag: number): string[] {
    const partials = this.db.prepare<[number], {partial: string}>('SELECT partial FROM transfer_files WHERE tag = ? AND partial IS NOT NULL').all(tag).map((r) => r.partial)
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM transfer_chunks WHERE tag = ?').run(tag)
      this.db.prepare('DELETE FROM transfer_files WHERE tag = ?').run(tag)
    })()
    return partials
  }

  close(): void {
    this.db.close()
  }
}

/** One file's resume point in the queue's database. */
class StoredResume implements FileResume {
  constructor(private readonly db: Database.Database, private readonly tag: number, private readonly file: string, private readonly identity: string) {}

  load(): SavedTransfer | undefined {
    const row = this.db.prepare<[number, string], {identity: string; url: string | null; aes_key: Buffer | null; nonce: Buffer | null; partial: string | null}>(
      'SELECT identity, url, aes_key, nonce, partial FROM transfer_files WHERE tag = ? AND file = ?',
    ).get(this.tag, this.file)
    // Another size or modification time: another file, whose chunks would be wrong.
    if (!row || row.identity !== this.identity) return undefined
    const chunks = new Map<number, Buffer>()
    for (const {chunk, mac} of this.db.prepare<[number, string], {chunk: number; mac: Buffer}>('SELECT chunk, mac FROM transfer_chunks WHERE tag = ? AND file = ?').iterate(this.tag, this.file)) chunks.set(chunk, mac)
    return {
      ...(row.url === null ? {} : {url: row.url}), ...(row.aes_key === null ? {} : {aesKey: row.aes_key}),
      ...(row.nonce === null ? {} : {nonce: row.nonce}), ...(row.partial === null ? {} : {partial: row.partial}), chunks,
    }
  }

  begin(start: Omit<SavedTransfer, 'chunks'>): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM transfer_chunks WHERE tag = ? AND file = ?').run(this.tag, this.file)
      this.db.prepare('INSERT OR REPLACE INTO transfer_files (tag, file, identity, url, aes_key, nonce, partial) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(this.tag, this.file, this.identity, start.url ?? null, start.aesKey ?? null, start.nonce ?? null, start.partial ?? null)
    })()
  }

  chunksDone(first: number, macs: Buffer): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO transfer_chunks (tag, file, chunk, mac) VALUES (?, ?, ?, ?)')
    this.db.transaction(() => {
      for (let i = 0; i < macs.length / 16; i++) insert.run(this.tag, this.file, first + i, macs.subarray(i * 16, i * 16 + 16))
    })()
  }

  clear(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM transfer_chunks WHERE tag = ? AND file = ?').run(this.tag, this.file)
      this.db.prepare('DELETE FROM transfer_files WHERE tag = ? AND file = ?').run(this.tag, this.file)
    })()
  }
}

function fromRow(row: Row): TransferRecord {
  return {
    tag: row.tag, direction: row.direction, source: row.source, destination: row.destination, state: row.state,
    bytesTotal: row.bytes_total, bytesDone: row.bytes_done, account: row.account, created: row.created,
    ...(row.error === null ? {} : {error: row.error}), ...(row.error_code === null ? {} : {errorCode: row.error_code}),
    ...(row.finished === null ? {} : {finished: row.finished}),
    job: JSON.parse(row.job) as QueuedUpload | QueuedDownload,
  }
}
