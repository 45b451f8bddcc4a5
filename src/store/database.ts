import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, openSync} from 'node:fs'
import {dirname} from 'node:path'
import {ensurePrivateDir} from '../config/paths.js'
import {MIGRATIONS} from './migrations.js'

export type Db = Database.Database

/**
 * Opens the local cache (better-sqlite3, WAL so the daemon and several CLI processes can share it) and
 * applies pending migrations. The file holds the session, so it and its WAL/SHM files are owner-only.
 * A damaged file throws an error that isDamagedDatabase() recognises (cache-recovery.ts rebuilds it).
 */
export function openDatabase(file: string): Db {
  ensurePrivateDir(dirname(file))
  // Create the file owner-only before SQLite opens it; SQLite gives its WAL and SHM files the same mode.
  closeSync(openSync(file, 'a', 0o600))
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('synchronous = NORMAL')
    // 64 MiB of page cache instead of SQLite's 2 MiB: a reload writes nodes in the order of their random handles, so
    // each write lands on a random page of the indexes; with the default cache a 100k-node reload spent 47 µs a node
    // reading and writing back index pages. Only pages actually read take memory.
    db.pragma('cache_size = -65536')
    for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
    migrate(db)
    probe(db)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/**
 * How long one statement waits for another process's write lock before SQLITE_BUSY. It blocks the event loop,
 * so it stays short; callers that must not fail on a busy cache retry asynchronously (busy-retry.ts).
 */
const BUSY_TIMEOUT_MS = 5000

function migrate(db: Db): void {
  const current = db.pragma('user_version', {simple: true}) as number
  if (current >= MIGRATIONS.length) return
  db.transaction(() => {
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i])
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}

/**
 * Reads the first page of every table, so that the usual damage (a file overwritten or cut short) shows at
 * open, where it can be repaired before the command starts, at the cost of a few page reads. Damage deeper in
 * a large table shows when a command reaches it (MegaCommand repairs it then).
 */
function probe(db: Db): void {
  const tables = db.prepare<[], {name: string}>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
  for (const {name} of tables) db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 1`).all()
}

/** SQLite's answers for a file that is not (or no longer) a sound database. */
export function isDamagedDatabase(error: unknown): boolean {
  const code = (error as {code?: unknown})?.code
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)
}

/** Another process holds the write lock longer than BUSY_TIMEOUT_MS. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as {code?: unknown})?.code
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)
}
