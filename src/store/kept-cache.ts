import {statSync} from 'node:fs'
import type {CacheStores} from './cache-stores.js'

/**
 * The cache a command host keeps open from one command to the next (keepCachesOpen), instead of opening it for
 * every command: opening (better-sqlite3, its pragmas, the migration check and damage probe of database.ts) and
 * preparing the stores' statements is ~1 ms of a warm host's 3 ms `ls /`.
 *
 * Reuse must not change what a command reads. SQLite keeps its connections current with each other's writes (WAL),
 * but not with a change made to the files from outside: the cache replaced (a rebuild moves it aside,
 * cache-recovery.ts), removed, or overwritten. So the connection is kept with the identity and last change of the
 * cache file and of its WAL as the command left them, and reused only if both are still the same (two stats):
 * otherwise (another process wrote meanwhile, the live feed included, or anything else touched the files), or with a
 * transaction left open, it is closed and the next command opens the cache afresh and probes it, as before.
 */

let enabled = false
let kept: {file: string; stores: CacheStores; stamp: string} | undefined

/** Called once by a command host: the cache is kept open between its commands (false: no more, the kept one closed). */
export function keepCachesOpen(keep = true): void {
  enabled = keep
  if (!keep && kept) {
    kept.stores.db.close()
    kept = undefined
  }
}

/** The cache at `file` as the previous command left it, if nothing has changed its files since. */
export function takeKeptCache(file: string): CacheStores | undefined {
  const previous = kept
  kept = undefined
  if (!previous) return undefined
  const {db} = previous.stores
  if (previous.file === file && db.open && filesStamp(file) === previous.stamp) return previous.stores
  if (db.open) db.close()
  return undefined
}

/** Keeps `stores` open for the next command (true), or says to close them (false: not a host, or one is kept). */
export function keepCache(file: string, stores: CacheStores): boolean {
  if (!enabled || kept || !stores.db.open || stores.db.inTransaction) return false
  const stamp = filesStamp(file)
  if (stamp === undefined) return false
  kept = {file, stores, stamp}
  return true
}

/** The identity and last change of the cache file and of its WAL; undefined when the cache file is gone. */
function filesStamp(file: string): string | undefined {
  const stamp = (path: string): string | undefined => {
    const stat = statSync(path, {throwIfNoEntry: false})
    return stat && `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`
  }
  const main = stamp(file)
  return main && `${main}|${stamp(`${file}-wal`) ?? 'none'}`
}
