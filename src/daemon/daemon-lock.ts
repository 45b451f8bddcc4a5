import {chmodSync, lstatSync, mkdirSync, statSync, unlinkSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {dirname, join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {CommandError, ExitCode} from '../errors.js'
import {FileLock} from '../store/file-lock.js'
import {openConnection} from './server-connection.cjs'
import {currentUid, inspectSocket, socketPathFor} from './socket-path.cjs'

/** Held by the profile's one server for as long as it runs. */
export const LOCK_FILE = 'server.lock'
/** How long a starting server waits for another that is starting or stopping on the profile. */
const LOCK_WAIT_MS = 10_000

/** A second server for one profile would share its cache and its socket: `server start` fails with 54. */
export class ServerRunningError extends CommandError {
  constructor(readonly pid: number | undefined, readonly socket: string) {
    super(`A mega-shell server is already running for this profile (${pid ? `pid ${pid}, ` : ''}socket ${socket})`, ExitCode.INVALIDSTATE)
  }
}

export interface BoundSocket {
  server: Server
  path: string
  /** The socket file's inode: the server stops when its socket is removed or replaced. */
  inode: number
  lock: FileLock
}

/**
 * Takes the profile's server lock and listens on its socket (socket-path.cts), mode 0600. The lock is a file lock
 * the kernel drops with its holder (store/file-lock.ts): a server killed with -9 leaves a socket file nobody
 * listens on, which the next server, holding the lock, knows to be stale and replaces; two servers starting at once
 * cannot both replace it. A socket path holding something else (another user's socket, a plain file) is refused,
 * never removed. Where another server runs, ServerRunningError says where (its pid, from its HELLO).
 */
export async function bindServerSocket(home: string): Promise<BoundSocket> {
  const path = socketPathFor(home)
  if (dirname(path) !== home) preparePrivateFolder(dirname(path))
  const lock = await takeLock(join(home, LOCK_FILE), path)
  try {
    const found = inspectSocket(path)
    if (found.state === 'foreign') throw new CommandError(`${path} ${found.reason}: remove it, or use another profile (MEGA_SHELL_HOME)`, ExitCode.INVALIDSTATE)
    if (found.state === 'ours') unlinkSync(path)
    const server = createServer()
    // The process runs under umask 077 (daemon.ts), so the socket is created owner-only; chmod says so explicitly.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
    chmodSync(path, 0o600)
    return {server, path, inode: statSync(path).ino, lock}
  } catch (error) {
    lock.release()
    throw error
  }
}

async function takeLock(file: string, socket: string): Promise<FileLock> {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    const lock = FileLock.tryAcquire(file)
    if (lock) return lock
    const outcome = await openConnection(socket, 2000)
    if (outcome.kind === 'connected') {
      outcome.connection.close()
      throw new ServerRunningError(outcome.connection.hello.pid, socket)
    }
    // The holder is starting (not listening yet) or stopping (its lock goes with its process): a moment.
    if (Date.now() > deadline) throw new ServerRunningError(undefined, socket)
    await delay(20)
  }
}

/** The short socket folder of a deep profile: ours alone, or refused. */
function preparePrivateFolder(dir: string): void {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const stats = lstatSync(dir)
  const uid = currentUid()
  if (!stats.isDirectory() || (uid >= 0 && stats.uid !== uid) || (stats.mode & 0o077) !== 0) {
    throw new CommandError(`${dir} must be a folder of yours that only you can open (mode 0700)`, ExitCode.INVALIDSTATE)
  }
}
