import type {LocalEntry} from '../local/local-scan.js'
import type {RemoteEntry} from '../remote/remote-snapshot.js'
import type {SyncMode} from '../service/sync-protocol.js'
import {EntryKind, type SyncedEntry} from '../state/sync-store.js'

/**
 * One step of a pass. Paths are the NFC keys both sides meet under (sync-store.ts); `count` is how many synced
 * entries a debris move takes away (the folder and what it held), for --max-delete.
 */
export type Action =
  | {kind: 'upload'; path: string; local: LocalEntry; remote?: RemoteEntry}
  | {kind: 'download'; path: string; remote: RemoteEntry; local?: LocalEntry}
  | {kind: 'create-remote-folder'; path: string; local: LocalEntry}
  | {kind: 'create-local-folder'; path: string; remote: RemoteEntry}
  | {kind: 'move-remote'; path: string; to: string; remote: RemoteEntry; local: LocalEntry}
  | {kind: 'move-local'; path: string; to: string; local: LocalEntry; remote: RemoteEntry}
  | {kind: 'remote-to-debris'; path: string; remote: RemoteEntry; count: number}
  | {kind: 'local-to-debris'; path: string; local: LocalEntry; count: number}
  /** Both sides have a file here that the synced state cannot tell apart: the content decides (fingerprints). */
  | {kind: 'compare'; path: string; local: LocalEntry; remote: RemoteEntry; otherwise: 'conflict' | 'upload' | 'download'}
  /** Both sides moved the same thing to the same place: only the synced state follows. */
  | {kind: 'rekey'; path: string; to: string}
  /** Both sides agree: the synced state records it. */
  | {kind: 'record'; path: string; local: LocalEntry; remote: RemoteEntry}
  /** Gone from both sides (or no longer synced): the synced state forgets it. */
  | {kind: 'forget'; path: string}

export interface ReconcileInput {
  local: ReadonlyMap<string, LocalEntry>
  remote: ReadonlyMap<string, RemoteEntry>
  synced: ReadonlyMap<string, SyncedEntry>
  /** Paths left alone this pass (their issues say why), with what is under them. */
  blocked: ReadonlySet<string>
  mode: SyncMode
  /** A local file modified less than this long ago may still be being written: it waits. */
  stableMs: number
  now: number
}

export interface Plan {
  /** Moves come alone: they change the paths everything else is keyed by, so the pass applies them and plans again. */
  moves: Action[]
  actions: Action[]
  /** When a file that is still changing should be looked at again (ms since the epoch), if any waits. */
  recheckAt?: number
}

const flowsUp = (mode: SyncMode) => mode !== 'down' && mode !== 'mirror-down'
const flowsDown = (mode: SyncMode) => mode !== 'up' && mode !== 'mirror-up'

export function localChanged(local: LocalEntry, synced: SyncedEntry): boolean {
  return local.kind !== synced.kind || (local.kind === EntryKind.FILE && (local.size !== synced.size || local.mtimeMs !== synced.mtimeMs))
}

export function remoteChanged(remote: RemoteEntry, synced: SyncedEntry): boolean {
  // A new version of a file is a new node: its handle says it all.
  return remote.kind !== synced.kind || remote.handle !== synced.handle
}

/** The folder of a path, `''` for the root. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function ancestors(path: string): string[] {
  const found: string[] = []
  for (let p = parentOf(path); p !== ''; p = parentOf(p)) found.push(p)
  return found
}

function under(path: string, prefixes: ReadonlySet<string>): boolean {
  if (prefixes.size === 0) return false
  if (prefixes.has(path)) return true
  return ancestors(path).some((p) => prefixes.has(p))
}

const depth = (path: string) => path.split('/').length

/** Parents before children (then by name): each path's depth counted once, not at every comparison of a sort. */
function byDepth(paths: Iterable<string>): string[] {
  const levels: string[][] = []
  for (const path of paths) (levels[depth(path)] ??= []).push(path)
  return levels.flatMap((level) => (level ?? []).sort())
}

/**
 * The three-way comparison of a pass (rclone's bisync and MEGA's SDK sync both work from the same three trees):
 * for each path, the local entry and the remote entry are each compared with what was last synced, and only the
 * side that changed is carried over to the other. Moves are found first, by inode on the local side and by handle
 * on the remote side, and carried over as moves. A deletion only carries over when the other side did not change
 * the thing meanwhile; a folder only goes to debris whole when nothing under it changed on the other side,
 * otherwise what changed is kept and the rest goes one by one. Pure: the pass (sync-pass.ts) does the I/O.
 */
export function reconcile(input: ReconcileInput): Plan {
  const moves = findMoves(input)
  if (moves.length > 0) return {moves, actions: []}
  const {local, remote, synced, blocked, mode, stableMs, now} = input
  const up = flowsUp(mode)
  const down = flowsDown(mode)
  const mirrorUp = mode === 'mirror-up'
  const mirrorDown = mode === 'mirror-down'
  const actions: Action[] = []
  let recheckAt: number | undefined
  const stable = (entry: LocalEntry): boolean => {
    if (entry.kind === EntryKind.FOLDER || now - entry.mtimeMs >= stableMs) return true
    recheckAt = Math.min(recheckAt ?? Infinity, entry.mtimeMs + stableMs)
    return false
  }

  // Folders under which something changed since the last sync, per side: such a folder never goes to debris whole.
  const changedLocally = new Set<string>()
  const changedRemotely = new Set<string>()
  for (const entry of local.values()) {
    const was = synced.get(entry.path)
    if (!was || localChanged(entry, was)) for (const a of ancestors(entry.path)) changedLocally.add(a)
  }
  for (const entry of remote.values()) {
    const was = synced.get(entry.path)
    if (!was || remoteChanged(entry, was)) for (const a of ancestors(entry.path)) changedRemotely.add(a)
  }
  // How many synced entries each folder holds (itself included), for --max-delete.
  const weight = new Map<string, number>()
  for (const path of synced.keys()) for (const p of [path, ...ancestors(path)]) weight.set(p, (weight.get(p) ?? 0) + 1)

  const paths = byDepth(new Set([...local.keys(), ...remote.keys(), ...synced.keys()]))
  // Folders handled whole (gone to debris, or left alone): nothing under them is looked at.
  const done = new Set<string>(blocked)
  const upload = (l: LocalEntry, r?: RemoteEntry): void => {
    if (l.kind === EntryKind.FOLDER) actions.push({kind: 'create-remote-folder', path: l.path, local: l})
    else if (stable(l)) actions.push({kind: 'upload', path: l.path, local: l, ...(r ? {remote: r} : {})})
  }
  const download = (r: RemoteEntry, l?: LocalEntry): void => {
    if (r.kind === EntryKind.FOLDER) actions.push({kind: 'create-local-folder', path: r.path, remote: r})
    else actions.push({kind: 'download', path: r.path, remote: r, ...(l ? {local: l} : {})})
  }
  const remoteToDebris = (r: RemoteEntry): void => {
    actions.push({kind: 'remote-to-debris', path: r.path, remote: r, count: weight.get(r.path) ?? 1})
    if (r.kind === EntryKind.FOLDER) done.add(r.path)
  }
  const localToDebris = (l: LocalEntry): void => {
    actions.push({kind: 'local-to-debris', path: l.path, local: l, count: weight.get(l.path) ?? 1})
    if (l.kind === EntryKind.FOLDER) done.add(l.path)
  }

  for (const path of paths) {
    if (under(path, done)) continue
    const l = local.get(path)
    const r = remote.get(path)
    const s = synced.get(path)
    if (l && r && l.kind !== r.kind) {
      // A file on one side where the other has a folder: no automatic answer (the SDK stalls too). The pass reports it.
      done.add(path)
      continue
    }
    if (!s) {
      if (l && r) {
        if (l.kind === EntryKind.FOLDER) actions.push({kind: 'record', path, local: l, remote: r})
        else if (stable(l)) actions.push({kind: 'compare', path, local: l, remote: r, otherwise: mirrorDown || mode === 'down' ? 'download' : mirrorUp || mode === 'up' ? 'upload' : 'conflict'})
        else done.add(path)
      } else if (l) {
        if (up) upload(l)
        else if (mirrorDown) localToDebris(l)
        else done.add(path)
      } else if (r) {
        if (down) download(r)
        else if (mirrorUp) remoteToDebris(r)
        else done.add(path)
      }
      continue
    }
    if (!l && !r) {
      actions.push({kind: 'forget', path})
      continue
    }
    if (!l) {
      // Gone locally: the deletion carries over unless the remote side changed it, which then comes back.
      const remoteKept = remoteChanged(r!, s) || (r!.kind === EntryKind.FOLDER && changedRemotely.has(path))
      if (mirrorDown || (mode === 'two-way' && remoteKept)) download(r!)
      else if (mode === 'two-way' || mirrorUp) remoteToDebris(r!)
      else if (mode === 'down') download(r!)
      else actions.push({kind: 'forget', path})
      continue
    }
    if (!r) {
      const localKept = localChanged(l, s) || (l.kind === EntryKind.FOLDER && changedLocally.has(path))
      if (mirrorUp || (mode === 'two-way' && localKept) || mode === 'up') upload(l)
      else if (mode === 'two-way' || mirrorDown) localToDebris(l)
      else actions.push({kind: 'forget', path})
      continue
    }
    if (l.kind === EntryKind.FOLDER) {
      // A folder made again on either side (another inode, another handle): the synced state follows.
      if (l.inode !== s.inode || r.handle !== s.handle) actions.push({kind: 'record', path, local: l, remote: r})
      continue
    }
    const lc = localChanged(l, s)
    const rc = remoteChanged(r, s)
    if (!lc && !rc) continue
    if (mode === 'two-way') {
      if (lc && rc) {
        if (stable(l)) actions.push({kind: 'compare', path, local: l, remote: r, otherwise: 'conflict'})
      } else if (lc) upload(l, r)
      else download(r, l)
    } else if (up) {
      if (lc || mirrorUp) upload(l, r)
    } else if (rc || mirrorDown) download(r, l)
  }
  return {moves: [], actions, ...(recheckAt === undefined ? {} : {recheckAt})}
}

/**
 * Moves and renames, found by identity: a synced entry whose inode now lives at another local path was moved
 * locally, one whose handle now lives at another remote path was moved remotely. Only a move whose other side is
 * still as synced carries over (else the entries go their ordinary ways: a copy and a deletion); a moved folder
 * takes what it holds along, so nothing under a moved folder is looked at.
 */
function findMoves({local, remote, synced, blocked, mode}: ReconcileInput): Action[] {
  const byInode = new Map<number, LocalEntry>()
  for (const entry of local.values()) {
    const was = synced.get(entry.path)
    if (!was || was.inode !== entry.inode) byInode.set(entry.inode, entry)
  }
  const byHandle = new Map<string, RemoteEntry>()
  for (const entry of remote.values()) {
    const was = synced.get(entry.path)
    if (!was || was.handle !== entry.handle) byHandle.set(entry.handle, entry)
  }
  if (byInode.size === 0 && byHandle.size === 0) return []
  const moves: Action[] = []
  const moved = new Set<string>()
  const sources = byDepth(synced.keys()).map((path) => synced.get(path)!)
  for (const was of sources) {
    if (under(was.path, moved) || under(was.path, blocked)) continue
    const l = local.get(was.path)
    const r = remote.get(was.path)
    const localNow = l?.inode === was.inode ? undefined : byInode.get(was.inode)
    const remoteNow = r?.handle === was.handle ? undefined : byHandle.get(was.handle)
    const sameFile = (entry: LocalEntry) => entry.kind === was.kind && (entry.kind === EntryKind.FOLDER || (entry.size === was.size && entry.mtimeMs === was.mtimeMs))
    if (localNow && remoteNow) {
      if (localNow.path === remoteNow.path) {
        moves.push({kind: 'rekey', path: was.path, to: localNow.path})
        moved.add(was.path)
      }
      continue
    }
    if (localNow && flowsUp(mode) && r && !remoteChanged(r, was) && sameFile(localNow) && !remote.has(localNow.path) && !under(localNow.path, blocked)) {
      moves.push({kind: 'move-remote', path: was.path, to: localNow.path, remote: r, local: localNow})
      moved.add(was.path)
    } else if (remoteNow && flowsDown(mode) && l && !localChanged(l, was) && remoteNow.kind === was.kind && !local.has(remoteNow.path) && !under(remoteNow.path, blocked)) {
      moves.push({kind: 'move-local', path: was.path, to: remoteNow.path, local: l, remote: remoteNow})
      moved.add(was.path)
    }
  }
  // A move into a folder another move is taking away would land in the wrong place: one at a time, then plan again.
  return moves.filter((move, i) => i === 0 || !('to' in move) || !moves.slice(0, i).some((m) => 'to' in m && (move.to.startsWith(`${m.path}/`) || move.path.startsWith(`${m.to}/`))))
}
