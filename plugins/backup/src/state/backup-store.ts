import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, mkdirSync, openSync} from 'node:fs'
import {join} from 'node:path'
import type {InstanceState} from '../service/backup-protocol.js'

/** The file beside the profile's cache: the backup schedules and the history of their runs. */
export const BACKUP_STATE_FILE = 'backups.db'

/** A backup schedule as configured. */
export interface ScheduleRecord {
  /** MEGAcmd's TAG: a small number. */
  tag: number
  localPath: string
  remoteHandle: string
  /** As the user named it when the backup was made (absolute). */
  remotePath: string
  /** `cron` or `delay`, and the expression or the number of seconds. */
  periodKind: 'cron' | 'delay'
  periodValue: string
  numBackups: number
  /** The account (user handle) the backup belongs to: it only runs in that account's session. */
  account: string
  /** The next slot (unix ms). */
  nextRun: number
  created: number
}

/** One run: a folder `<name>_bk_<time>` in the remote parent. */
export interface RunRecord {
  id: number
  tag: number
  name: string
  /** The run's folder, once made. */
  handle: string | null
  /** The slot it was for (unix ms). */
  slot: number
  started: number
  ended: number | null
  state: InstanceState
  filesTotal: number
  filesDone: number
  foldersCreated: number
  bytesTotal: number
  bytesDone: number
  /** File bytes that went up (copied files move none). */
  bytesUploaded: number
  filesCopied: number
  filesFailed: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS schedules (
  tag INTEGER PRIMARY KEY AUTOINCREMENT, local_path TEXT NOT NULL UNIQUE, remote_handle TEXT NOT NULL, remote_path TEXT NOT NULL,
  period_kind TEXT NOT NULL, period_value TEXT NOT NULL, num_backups INTEGER NOT NULL, account TEXT NOT NULL,
  next_run INTEGER NOT NULL, created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, tag INTEGER NOT NULL, name TEXT NOT NULL, handle TEXT, slot INTEGER NOT NULL,
  started INTEGER NOT NULL, ended INTEGER, state TEXT NOT NULL, files_total INTEGER NOT NULL DEFAULT 0,
  files_done INTEGER NOT NULL DEFAULT 0, folders_created INTEGER NOT NULL DEFAULT 0, bytes_total INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0, bytes_uploaded INTEGER NOT NULL DEFAULT 0, files_copied INTEGER NOT NULL DEFAULT 0,
  files_failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_tag ON runs (tag, id);
`

interface ScheduleRow {
  tag: number
  local_path: string
  remote_handle: string
  remote_path: string
  period_kind: string
  period_value: string
  num_backups: number
  account: string
  next_run: number
  created: number
}

interface RunRow {
  id: number
  tag: number
  name: string
  handle: string | null
  slot: number
  started: number
  ended: number | null
  state: string
  files_total: number
  files_done: number
  folders_created: number
  bytes_total: number
  bytes_done: number
  bytes_uploaded: number
  files_copied: number
  files_failed: number
}

/**
 * Schedules and run history in SQLite (WAL, synchronous writes): a schedule added, a slot taken or a run's state
 * changed is on disk before anything else happens, so a kill -9 leaves a record the next start can read (a run
 * still ONGOING then was interrupted: MISCARRIED).
 */
export class BackupStore {
  private readonly db: Database.Database

  constructor(home: string) {
    mkdirSync(home, {recursive: true, mode: 0o700})
    const file = join(home, BACKUP_STATE_FILE)
    // Local paths and remote handles are the user's business: the file is private from its first byte.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
    chmodSync(file, 0o600)
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(SCHEMA)
  }

  close(): void {
    this.db.close()
  }

  schedules(): ScheduleRecord[] {
    return (this.db.prepare('SELECT * FROM schedules ORDER BY tag').all() as ScheduleRow[]).map(toSchedule)
  }

  /** Adds a schedule; its tag is given by the database. */
  addSchedule(record: Omit<ScheduleRecord, 'tag'>): ScheduleRecord {
    const info = this.db.prepare(`INSERT INTO schedules (local_path, remote_handle, remote_path, period_kind, period_value, num_backups, account, next_run, created)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(record.localPath, record.remoteHandle, record.remotePath, record.periodKind, record.periodValue, record.numBackups, record.account, record.nextRun, record.created)
    return {...record, tag: Number(info.lastInsertRowid)}
  }

  updateSchedule(record: ScheduleRecord): void {
    this.db.prepare('UPDATE schedules SET period_kind = ?, period_value = ?, num_backups = ?, next_run = ? WHERE tag = ?')
      .run(record.periodKind, record.periodValue, record.numBackups, record.nextRun, record.tag)
  }

  /** Forgets a schedule and its history (the run folders in the cloud stay). */
  removeSchedule(tag: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM schedules WHERE tag = ?').run(tag)
      this.db.prepare('DELETE FROM runs WHERE tag = ?').run(tag)
    })()
  }

  addRun(run: Omit<RunRecord, 'id'>): RunRecord {
    const info = this.db.prepare(`INSERT INTO runs (tag, name, handle, slot, started, ended, state, files_total, files_done, folders_created, bytes_total, bytes_done, bytes_uploaded, files_copied, files_failed)
      VALUES (@tag, @name, @handle, @slot, @started, @ended, @state, @filesTotal, @filesDone, @foldersCreated, @bytesTotal, @bytesDone, @bytesUploaded, @filesCopied, @filesFailed)`).run(run)
    return {...run, id: Number(info.lastInsertRowid)}
  }

  updateRun(run: RunRecord): void {
    this.db.prepare(`UPDATE runs SET handle = @handle, ended = @ended, state = @state, files_total = @filesTotal, files_done = @filesDone,
      folders_created = @foldersCreated, bytes_total = @bytesTotal, bytes_done = @bytesDone, bytes_uploaded = @bytesUploaded,
      files_copied = @filesCopied, files_failed = @filesFailed WHERE id = @id`).run(run)
  }

  /** The newest run of a schedule. */
  lastRun(tag: number): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE tag = ? ORDER BY id DESC LIMIT 1').get(tag) as RunRow | undefined
    return row && toRun(row)
  }

  runs(tag: number): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs WHERE tag = ? ORDER BY slot, id').all(tag) as RunRow[]).map(toRun)
  }

  /** Runs a stop without warning left ONGOING. */
  unfinishedRuns(tag: number): RunRecord[] {
    return (this.db.prepare("SELECT * FROM runs WHERE tag = ? AND state = 'ONGOING'").all(tag) as RunRow[]).map(toRun)
  }
}

function toSchedule(row: ScheduleRow): ScheduleRecord {
  return {
    tag: row.tag, localPath: row.local_path, remoteHandle: row.remote_handle, remotePath: row.remote_path, periodKind: row.period_kind === 'cron' ? 'cron' : 'delay',
    periodValue: row.period_value, numBackups: row.num_backups, account: row.account, nextRun: row.next_run, created: row.created,
  }
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id, tag: row.tag, name: row.name, handle: row.handle, slot: row.slot, started: row.started, ended: row.ended, state: row.state as InstanceState,
    filesTotal: row.files_total, filesDone: row.files_done, foldersCreated: row.folders_created, bytesTotal: row.bytes_total, bytesDone: row.bytes_done,
    bytesUploaded: row.bytes_uploaded, filesCopied: row.files_copied, filesFailed: row.files_failed,
  }
}
