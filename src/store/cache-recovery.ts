import Database from 'better-sqlite3'
import {existsSync, renameSync} from 'node:fs'
import {basename} from 'node:path'
import {isDamagedDatabase, openDatabase, type Db} from './database.js'

/** What rebuilding a damaged cache did, for the one line the user is told. */
export interface CacheRecovery {
  /** Where the damaged file was moved (kept for inspection, never read again). */
  movedTo: string
  /** The session could be read from the damaged file and was kept: no new login is needed. */
  keptSession: boolean
}

export interface OpenCacheResult {
  db: Db
  recovery?: CacheRecovery
}

/**
 * The cache is only a cache: when it is damaged ("file is not a database", "database disk image is malformed"),
 * it is moved aside and rebuilt rather than failing every command, login and logout included. The settings
 * named in `carryOver` (the session, the cwd) are read from the damaged file where its pages still allow it;
 * the tree itself is fetched again by the next command.
 */
export function openCache(file: string, carryOver: readonly string[], sessionKey: string): OpenCacheResult {
  try {
    return {db: openDatabase(file)}
  } catch (error) {
    if (!isDamagedDatabase(error)) throw error
    return rebuildCache(file, carryOver, sessionKey)
  }
}

/** Moves a damaged cache aside and opens a fresh one holding what could be saved of `carryOver`. */
export function rebuildCache(file: string, carryOver: readonly string[], sessionKey: string): OpenCacheResult & {recovery: CacheRecovery} {
  const saved = salvageSettings(file, carryOver)
  const movedTo = `${file}.damaged-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix)
  }
  const db = openDatabase(file)
  const insert = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
  db.transaction(() => saved.forEach(({key, value}) => insert.run(key, value))).immediate()
  return {db, recovery: {movedTo, keptSession: saved.some((row) => row.key === sessionKey)}}
}

function salvageSettings(file: string, keys: readonly string[]): Array<{key: string; value: string}> {
  let damaged: Db | undefined
  try {
    damaged = new Database(file, {readonly: true, fileMustExist: true})
    const read = damaged.prepare<[string], {value: string}>('SELECT value FROM meta WHERE key = ?')
    const rows: Array<{key: string; value: string}> = []
    for (const key of keys) {
      try {
        const row = read.get(key)
        // A damaged page can still return garbage: only values that parse as they were written are kept.
        if (row && typeof row.value === 'string' && isWellFormed(row.value)) rows.push({key, value: row.value})
      } catch {
        // This row is on a damaged page: it is lost, the others may not be.
      }
    }
    return rows
  } catch {
    return []
  } finally {
    damaged?.close()
  }
}

function isWellFormed(value: string): boolean {
  if (!value.startsWith('{')) return true
  try {
    JSON.parse(value)
    return true
  } catch {
    return false
  }
}

/** The one line that tells the user what happened. */
export function recoveryNotice(recovery: CacheRecovery): string {
  const next = recovery.keptSession ? 'the session was kept and the tree will be fetched again' : 'please log in again'
  return `The local cache was damaged; it was moved to ${basename(recovery.movedTo)} and rebuilt: ${next}.`
}
