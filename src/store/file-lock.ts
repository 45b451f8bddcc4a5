import Database from 'better-sqlite3'
import {closeSync, openSync} from 'node:fs'
import {setTimeout as delay} from 'node:timers/promises'

export interface AcquireOptions {
  /** Stops waiting (Ctrl-C): the promise rejects with the signal's reason. */
  signal?: AbortSignal
  /** How often a held lock is tried again. */
  pollMs?: number
}

/**
 * A lock between processes, released by the operating system when its holder dies (even by kill -9), so a
 * crash never leaves a stale lock behind. It is an exclusive SQLite transaction on a small file of its own:
 * SQLite takes POSIX advisory locks, which the kernel drops with the process, and which also exclude other
 * connections of the same process (SQLite tracks locks per inode). Node has no flock(); better-sqlite3 is
 * already here.
 */
export class FileLock {
  private constructor(private db: Database.Database | undefined) {}

  /** The lock if it is free now, else undefined; never waits. */
  static tryAcquire(file: string): FileLock | undefined {
    closeSync(openSync(file, 'a', 0o600))
    const db = new Database(file)
    try {
      db.pragma('busy_timeout = 0')
      db.exec('BEGIN EXCLUSIVE')
      return new FileLock(db)
    } catch (error) {
      db.close()
      if ((error as {code?: string}).code === 'SQLITE_BUSY') return undefined
      throw error
    }
  }

  /** Waits for the lock without blocking the event loop (a busy_timeout would freeze Ctrl-C handling). */
  static async acquire(file: string, options: AcquireOptions = {}): Promise<FileLock> {
    for (;;) {
      options.signal?.throwIfAborted()
      const lock = FileLock.tryAcquire(file)
      if (lock) return lock
      await delay(options.pollMs ?? 20, undefined, {signal: options.signal})
    }
  }

  get held(): boolean {
    return this.db !== undefined
  }

  release(): void {
    const db = this.db
    this.db = undefined
    if (!db) return
    try {
      db.exec('ROLLBACK')
    } finally {
      db.close()
    }
  }
}

/** Runs `fn` holding the lock on `file`, released however `fn` ends. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: AcquireOptions = {}): Promise<T> {
  const lock = await FileLock.acquire(file, options)
  try {
    return await fn()
  } finally {
    lock.release()
  }
}
