import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, openSync} from 'node:fs'
import {dirname} from 'node:path'
import {ensurePrivateDir} from '../config/paths.js'
import {MIGRATIONS} from './migrations.js'

export type Db = Database.Database

/**
 * Opens the local cache (better-sqlite3, WAL so the daemon and several CLI processes can share it) and
 * applies pending migrations. The file holds the session, so it and its WAL/SHM files are owner-only.
 */
export function openDatabase(file: string): Db {
  ensurePrivateDir(dirname(file))
  // Create the file owner-only before SQLite opens it; SQLite gives its WAL and SHM files the same mode.
  closeSync(openSync(file, 'a', 0o600))
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('synchronous = NORMAL')
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
  migrate(db)
  return db
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', {simple: true}) as number
  if (current >= MIGRATIONS.length) return
  db.transaction(() => {
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i])
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}
