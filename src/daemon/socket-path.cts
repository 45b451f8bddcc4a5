import {lstatSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

/** The socket's name in the profile folder. */
export const SOCKET_FILE = 'server.sock'

/**
 * A unix socket path must fit `sun_path`: 108 bytes with its NUL on Linux, 104 on macOS. A longer one is
 * refused by bind() and connect() (ENAMETOOLONG or silent truncation), so a profile that deep gets its socket
 * in a short private folder instead (MEGAcmd does the same with /tmp/megacmd-<uid>).
 */
const MAX_SOCKET_PATH_BYTES = 103

/**
 * Where the server of the profile `home` listens: `<home>/server.sock`, or when that is too long, a name derived
 * from the profile's path in the user's runtime folder (`$XDG_RUNTIME_DIR/mega-shell/`, else
 * `<tmp>/mega-shell-<uid>/`). The same profile always maps to the same path, so clients find it without reading
 * anything; the server records it in `<home>/server.json` for people.
 */
export function socketPathFor(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const inProfile = join(home, SOCKET_FILE)
  if (Buffer.byteLength(inProfile) <= MAX_SOCKET_PATH_BYTES) return inProfile
  // Loaded only here: most profiles never need it, and every module costs the thin client start-up time.
  const {createHash} = require('node:crypto') as typeof import('node:crypto')
  const name = `${createHash('sha256').update(resolve(home)).digest('hex').slice(0, 24)}.sock`
  return join(shortSocketFolder(env), name)
}

/** The private folder of long profiles' sockets; the server creates it (mode 0700) and checks that it is the user's. */
export function shortSocketFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'mega-shell') : join(tmpdir(), `mega-shell-${currentUid()}`)
}

export function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1
}

export type SocketState =
  | {state: 'absent'}
  | {state: 'ours'}
  /** Something this user must not connect to: our environment (a password in MEGA_PASSWORD) would go to it. */
  | {state: 'foreign'; reason: string}

/** What is at a socket path, checked before connecting to it or replacing it. */
export function inspectSocket(path: string): SocketState {
  let stats
  try {
    stats = lstatSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {state: 'absent'}
    return {state: 'foreign', reason: `cannot be examined (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`}
  }
  if (!stats.isSocket()) return {state: 'foreign', reason: 'is not a socket'}
  const uid = currentUid()
  if (uid >= 0 && stats.uid !== uid) return {state: 'foreign', reason: `belongs to another user (uid ${stats.uid})`}
  return {state: 'ours'}
}
