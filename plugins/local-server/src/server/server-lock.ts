import {join} from 'node:path'
import {CommandError, ExitCode, FileLock} from '@mega-shell/core'
import {runningServer, type ServerInfo} from '../control/server-info.js'

/** Held by the one server of a data folder for as long as it runs. */
export const LOCK_FILE = 'server.lock'

/** A second server on a data folder would share its database and race its first for every request. */
export class ServerRunningError extends CommandError {
  constructor(readonly dataDir: string, readonly running: ServerInfo | undefined) {
    super(`A local server is already running for ${dataDir}${running ? ` (pid ${running.pid}, ${running.url})` : ''}`, ExitCode.INVALIDSTATE)
  }
}

/**
 * Takes the data folder's server lock, or fails at once when another server holds it. The OS drops the lock
 * with its holder, so a crashed server (even kill -9) never blocks the next one. Accounts made by
 * `local-server:useradd` while the server runs do not need it: they share the database through WAL.
 */
export function lockDataDir(dataDir: string): FileLock {
  const lock = FileLock.tryAcquire(join(dataDir, LOCK_FILE))
  if (!lock) throw new ServerRunningError(dataDir, runningServer(dataDir))
  return lock
}
