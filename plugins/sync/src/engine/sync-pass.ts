import {existsSync, lstatSync, mkdirSync, readFileSync, renameSync, statSync} from 'node:fs'
import {hostname} from 'node:os'
import {extname, join} from 'node:path'
import {
  createFolderPath, createFolderTree, downloadFile, fileFingerprint, fingerprintCrc, type FileUpload, type FolderTree, type MegaContext, type MegaNode,
  moveNode, NodeType, renameNode, runBySize, uploadFiles,
} from '@mega-shell/core'
import {IgnoreRules} from '../ignore/ignore-rules.js'
import {debrisDay, moveToLocalDebris} from '../local/local-debris.js'
import {type LocalEntry, scanLocal} from '../local/local-scan.js'
import {type RemoteEntry, snapshotRemote} from '../remote/remote-snapshot.js'
import type {PlannedAction, SyncIssue} from '../service/sync-protocol.js'
import {EntryKind, type SyncRecord, type SyncStore} from '../state/sync-store.js'
import {issue, issuesOfProblems} from './issues.js'
import {type Action, parentOf, reconcile} from './reconcile.js'
import {type UploadThrottle} from './upload-throttle.js'

/** What a pass needs from its runner. */
export interface PassEnv {
  ctx: MegaContext
  sync: SyncRecord
  store: SyncStore
  throttle: UploadThrottle
  stableMs: number
  signal: AbortSignal
  log: (line: string) => void
  /** Plan only (--dry-run): nothing is changed, not even the synced state. */
  dryRun?: boolean
}

export interface PassOutcome {
  plan: PlannedAction[]
  issues: SyncIssue[]
  /** Something still waits (a file being written, a delayed upload): the runner comes back then (ms since the epoch). */
  recheckAt?: number
  /** Actions were applied: another pass confirms the result. */
  acted: boolean
  /** Uploads held back because their file keeps changing (sync-config's delayed uploads). */
  delayedUploads: number
  totals: {size: number; files: number; dirs: number}
}

/** A pass cannot run at all: the sync shows it as its error until it is solved. */
export class SyncRootError extends Error {}

/** Moves change every path under them; a pass applies at most this many rounds of moves before the rest. */
const MAX_MOVE_ROUNDS = 20
/**
 * Transfers one pass starts at most; the next pass (at once) takes the rest. A first sync of 100,000 files otherwise
 * holds every transfer's state at once: its server peaked at 583 MiB; in rounds of 10,000 it stays near its idle size.
 */
const MAX_TRANSFERS_PER_PASS = 10_000
const TRANSFERS: ReadonlySet<Action['kind']> = new Set(['upload', 'download', 'compare'])
/** Files the SDK names in conflict copies: `name (conflict YYYY-MM-DD hh-mm-ss host).ext`. */
const CONFLICT_WORD = 'conflict'

/**
 * One pass of a sync: scan the local tree, take the remote tree from the cache, compare both with the synced state
 * (reconcile.ts), carry the changes over, and record each outcome as it lands, so that a pass interrupted anywhere
 * (kill -9) leaves a state the next pass continues from.
 */
export async function runPass(env: PassEnv): Promise<PassOutcome> {
  const {ctx, sync, store} = env
  const root = sync.localPath
  const plan: PlannedAction[] = []
  for (let round = 0; ; round++) {
    const rootInfo = statSync(root, {throwIfNoEntry: false})
    if (!rootInfo?.isDirectory()) throw new SyncRootError(`Local folder ${root} does not exist`)
    const remoteRoot = ctx.nodes.get(sync.remoteHandle)
    const rubbish = ctx.nodes.root(NodeType.RUBBISH)
    if (!remoteRoot || remoteRoot.type === NodeType.FILE || (rubbish && ctx.nodes.isWithin(remoteRoot.handle, rubbish.handle))) throw new SyncRootError(`Remote folder ${sync.remotePath} does not exist`)
    let rules: IgnoreRules
    try {
      rules = existsSync(join(root, '.megaignore')) ? IgnoreRules.parse(readFileSync(join(root, '.megaignore'), 'utf8')) : IgnoreRules.NONE
    } catch (error) {
      const found = [issue(sync.id, `Error detected with '.megaignore'`, [{path: '.megaignore', cloud: false, type: 'file', mtime: null, size: null, problem: (error as Error).message}], 'Nothing is synced until the file is mended (sync-ignore --show).')]
      return {plan, issues: found, acted: false, delayedUploads: 0, totals: {size: 0, files: 0, dirs: 0}}
    }
    const local = scanLocal(root, rules)
    const remote = snapshotRemote(ctx, sync.remoteHandle, rules)
    const synced = store.entries(sync.id)
    const issues = issuesOfProblems(sync.id, local.problems, remote.problems)
    const blocked = new Set([...local.problems, ...remote.problems].map((p) => p.path))
    for (const [path, l] of local.entries) {
      const r = remote.entries.get(path)
      if (r && r.kind !== l.kind) issues.push(issue(sync.id, `Unable to sync '${path}'`, [{path, cloud: false, type: kindName(l.kind), mtime: Math.floor(l.mtimeMs / 1000), size: l.size}, {path, cloud: true, type: kindName(r.kind), mtime: r.mtime, size: r.size}], 'A file on one side has the name of a folder on the other.'))
    }
    const planned = reconcile({local: local.entries, remote: remote.entries, synced, blocked, mode: sync.mode, stableMs: env.stableMs, now: Date.now()})
    const totals = totalsOf(remote.entries)
    if (planned.moves.length > 0 && round < MAX_MOVE_ROUNDS) {
      plan.push(...planned.moves.filter((a) => a.kind !== 'rekey').map(planLine))
      if (env.dryRun) return {plan, issues, acted: false, delayedUploads: 0, totals}
      for (const move of planned.moves) await applyMove(env, move, remote.entries, local.entries)
      continue
    }
    const visible = planned.actions.filter((a) => a.kind !== 'record' && a.kind !== 'forget' && a.kind !== 'rekey')
    plan.push(...visible.map(planLine))
    const deletions = planned.actions.reduce((n, a) => n + (a.kind === 'remote-to-debris' || a.kind === 'local-to-debris' ? a.count : 0), 0)
    if (synced.size > 0 && deletions > 0 && deletions * 100 > sync.maxDelete * synced.size) {
      issues.push(issue(sync.id, `Too many deletions in '${sync.localPath}'`, [], `This pass would move ${deletions} of ${synced.size} synced items to debris, more than the sync's limit of ${sync.maxDelete}%. Nothing was changed. Restore what was deleted, or allow it with "sync --max-delete=100 ${sync.id}".`))
      return {plan, issues, acted: false, delayedUploads: 0, totals, ...(planned.recheckAt ? {recheckAt: planned.recheckAt} : {})}
    }
    if (env.dryRun) return {plan, issues, acted: false, delayedUploads: 0, totals}
    let transfers = 0
    const now = planned.actions.filter((action) => !TRANSFERS.has(action.kind) || ++transfers <= MAX_TRANSFERS_PER_PASS)
    const applied = await applyActions(env, now, local.entries, remote.entries, issues)
    const recheckAt = Math.min(planned.recheckAt ?? Infinity, applied.recheckAt ?? Infinity, transfers > MAX_TRANSFERS_PER_PASS ? Date.now() : Infinity)
    return {plan, issues, acted: visible.length > applied.delayed, delayedUploads: applied.delayed, totals, ...(recheckAt < Infinity ? {recheckAt} : {})}
  }
}

/** The cached node of a remote entry; gone means another client removed it since the pass began. */
function nodeOf(ctx: MegaContext, entry: RemoteEntry): MegaNode {
  const node = ctx.nodes.get(entry.handle)
  if (!node) throw new Error(`'${entry.path}' was removed from the cloud meanwhile`)
  return node
}

function kindName(kind: EntryKind): 'file' | 'folder' {
  return kind === EntryKind.FILE ? 'file' : 'folder'
}

function totalsOf(entries: ReadonlyMap<string, RemoteEntry>): PassOutcome['totals'] {
  let size = 0
  let files = 0
  let dirs = 0
  for (const entry of entries.values()) {
    if (entry.kind === EntryKind.FILE) {
      files++
      size += entry.size
    } else dirs++
  }
  return {size, files, dirs}
}

function planLine(action: Action): PlannedAction {
  return {kind: action.kind === 'compare' ? (action.otherwise === 'conflict' ? 'conflict' : action.otherwise) : action.kind as PlannedAction['kind'], path: action.path, ...('to' in action ? {to: action.to} : {})}
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Where a path is on disk: under the local names of its folders where they exist, else under the remote names. */
function localRel(path: string, local: ReadonlyMap<string, LocalEntry>, remote: ReadonlyMap<string, RemoteEntry>): string {
  const known = local.get(path)
  if (known) return known.rel
  const parent = parentOf(path)
  const name = remote.get(path)?.name ?? nameOf(path)
  return parent === '' ? name : `${localRel(parent, local, remote)}/${name}`
}

/** The remote folder for `path`, creating what is missing of it (a move or an upload into a folder made meanwhile). */
async function remoteFolder(env: PassEnv, path: string, remote: Map<string, RemoteEntry> | ReadonlyMap<string, RemoteEntry>, created: Map<string, MegaNode>): Promise<MegaNode> {
  const rootNode = env.ctx.nodes.get(env.sync.remoteHandle)!
  if (path === '') return rootNode
  const known = created.get(path) ?? (remote.has(path) ? nodeOf(env.ctx, remote.get(path)!) : undefined)
  if (known) return known
  const missing: string[] = []
  let base = path
  while (base !== '' && !created.has(base) && !remote.has(base)) {
    missing.unshift(base)
    base = parentOf(base)
  }
  const parent = base === '' ? rootNode : created.get(base) ?? nodeOf(env.ctx, remote.get(base)!)
  const nodes = await createFolderPath(env.ctx, parent, missing.map(nameOf))
  missing.forEach((p, i) => created.set(p, nodes[i]))
  return nodes[nodes.length - 1]
}

async function applyMove(env: PassEnv, move: Action, remote: ReadonlyMap<string, RemoteEntry>, local: ReadonlyMap<string, LocalEntry>): Promise<void> {
  const {ctx, sync, store} = env
  if (move.kind === 'rekey') return store.moveTree(sync.id, move.path, move.to)
  if (move.kind === 'move-remote') {
    let node = nodeOf(ctx, move.remote)
    const toParent = parentOf(move.to)
    if (toParent !== parentOf(move.path)) {
      const target = await remoteFolder(env, toParent, remote, new Map())
      await moveNode(ctx, node, target)
      node = ctx.nodes.get(node.handle) ?? node
    }
    if (nameOf(move.to) !== node.name.normalize('NFC')) await renameNode(ctx, node, nameOf(move.to))
    env.log(`moved remotely: ${move.path} -> ${move.to}`)
  } else if (move.kind === 'move-local') {
    const to = join(sync.localPath, localRel(parentOf(move.to), local, remote), move.remote.name)
    mkdirSync(join(to, '..'), {recursive: true})
    renameSync(join(sync.localPath, move.local.rel), to)
    env.log(`moved locally: ${move.path} -> ${move.to}`)
  }
  if ('to' in move) store.moveTree(sync.id, move.path, move.to)
}

interface Applied {
  recheckAt?: number
  /** Uploads the throttle held back. */
  delayed: number
}

/**
 * Carries out a pass's actions: the synced state's own bookkeeping, then folders (parents first), then the
 * transfers side by side, then the debris moves last, so that nothing is taken away before what replaces it is there.
 * A failed action is an issue; the others go on.
 */
async function applyActions(env: PassEnv, actions: Action[], local: Map<string, LocalEntry>, remote: Map<string, RemoteEntry>, issues: SyncIssue[]): Promise<Applied> {
  const {ctx, sync, store} = env
  const root = sync.localPath
  const failed = (action: Action, error: unknown, cloud: boolean) => {
    const verb = cloud ? 'upload' : 'download'
    env.log(`${action.kind} ${action.path} failed: ${(error as Error).message}`)
    issues.push(issue(sync.id, `Can't ${verb} '${action.path}' to the selected location`, [{path: action.path, cloud, type: null, mtime: null, size: null, problem: (error as Error).message}]))
  }
  /**
   * `expected`: the local file as the pass read it for an upload, or as a download wrote it: if it changed since, the
   * next pass sees the change rather than taking it for the synced state.
   */
  const recordFile = (path: string, node: MegaNode, absolute: string, expected?: {size: number; mtimeMs: number}) => {
    const info = lstatSync(absolute, {throwIfNoEntry: false})
    if (!info) return
    const seen = expected ?? {size: info.size, mtimeMs: info.mtimeMs}
    store.record(sync.id, {path, kind: EntryKind.FILE, size: seen.size, mtimeMs: seen.mtimeMs, inode: info.ino, handle: node.handle, fingerprint: typeof node.attrs.c === 'string' ? node.attrs.c : null})
  }
  const recordFolder = (path: string, handle: string, absolute: string) => {
    const info = lstatSync(absolute, {throwIfNoEntry: false})
    if (info) store.record(sync.id, {path, kind: EntryKind.FOLDER, size: 0, mtimeMs: info.mtimeMs, inode: info.ino, handle, fingerprint: null})
  }

  store.batch(() => {
    for (const action of actions) {
      if (action.kind === 'forget') store.forgetTree(sync.id, action.path)
      else if (action.kind === 'record') recordFolder(action.path, action.remote.handle, join(root, action.local.rel))
    }
  })

  // Remote folders: each missing subtree in one `p`, under the nearest folder that exists.
  const created = new Map<string, MegaNode>()
  const newRemote = actions.filter((a): a is Extract<Action, {kind: 'create-remote-folder'}> => a.kind === 'create-remote-folder')
  const trees = new Map<string, FolderTree>()
  const tops: Array<{parent: string; tree: FolderTree}> = []
  for (const action of newRemote) {
    const tree: FolderTree = {name: nameOf(action.path), folders: []}
    trees.set(action.path, tree)
    const parentTree = trees.get(parentOf(action.path))
    if (parentTree) parentTree.folders.push(tree)
    else tops.push({parent: parentOf(action.path), tree})
  }
  const pathOfTree = new Map([...trees].map(([path, tree]) => [tree, path]))
  await Promise.all(tops.map(async ({parent, tree}) => {
    try {
      const parentNode = await remoteFolder(env, parent, remote, created)
      for (const [folder, node] of await createFolderTree(ctx, parentNode, tree)) {
        const path = pathOfTree.get(folder)!
        created.set(path, node)
        recordFolder(path, node.handle, join(root, local.get(path)!.rel))
      }
    } catch (error) {
      failed({kind: 'create-remote-folder', path: pathOfTree.get(tree)!, local: local.get(pathOfTree.get(tree)!)!}, error, true)
    }
  }))
  for (const action of actions) {
    if (action.kind !== 'create-local-folder') continue
    const absolute = join(root, localRel(action.path, local, remote))
    try {
      mkdirSync(absolute, {recursive: true})
      recordFolder(action.path, action.remote.handle, absolute)
    } catch (error) {
      failed(action, error, false)
    }
  }

  const uploads: Array<{path: string; local: LocalEntry; file: FileUpload}> = []
  const downloads: Array<{path: string; remote: RemoteEntry; local?: LocalEntry}> = []
  const conflicts: Array<{path: string; local: LocalEntry; remote: RemoteEntry}> = []
  let recheckAt: number | undefined
  let delayed = 0
  const queueUpload = async (path: string, l: LocalEntry) => {
    const wait = env.throttle.delayFor(sync.id, path)
    if (wait > 0) {
      delayed++
      recheckAt = Math.min(recheckAt ?? Infinity, Date.now() + wait)
      return
    }
    try {
      uploads.push({path, local: l, file: {path: join(root, l.rel), parent: await remoteFolder(env, parentOf(path), remote, created), name: nameOf(path), size: l.size}})
    } catch (error) {
      failed({kind: 'upload', path, local: l}, error, true)
    }
  }
  for (const action of actions) {
    if (action.kind === 'upload') await queueUpload(action.path, action.local)
    else if (action.kind === 'download') downloads.push(action)
    else if (action.kind === 'compare') {
      const same = await sameContent(join(root, action.local.rel), action.local, action.remote).catch(() => false)
      if (same) recordFile(action.path, nodeOf(ctx, action.remote), join(root, action.local.rel), action.local)
      else if (action.otherwise === 'upload') await queueUpload(action.path, action.local)
      else if (action.otherwise === 'download') downloads.push(action)
      else conflicts.push(action)
    }
  }
  // A conflict keeps both: the local file steps aside under a conflict name and goes up as a new file; the remote one
  // comes down under the name.
  for (const conflict of conflicts) {
    const absolute = join(root, conflict.local.rel)
    const aside = conflictName(absolute)
    try {
      renameSync(absolute, aside)
      const asideRel = join(parentOf(conflict.local.rel), aside.slice(aside.lastIndexOf('/') + 1)).replace(/^\.\//, '')
      const asidePath = (parentOf(conflict.path) === '' ? '' : `${parentOf(conflict.path)}/`) + nameOf(aside).normalize('NFC')
      const asideEntry = {...conflict.local, path: asidePath, rel: asideRel}
      uploads.push({path: asidePath, local: asideEntry, file: {path: aside, parent: await remoteFolder(env, parentOf(conflict.path), remote, created), name: nameOf(asidePath)}})
      downloads.push({path: conflict.path, remote: conflict.remote})
      const lasting = issue(sync.id, `Conflicting changes to '${conflict.path}'`, [
        {path: asidePath, cloud: false, type: 'file', mtime: Math.floor(conflict.local.mtimeMs / 1000), size: conflict.local.size, problem: 'the local version, kept under this name and uploaded'},
        {path: conflict.path, cloud: true, type: 'file', mtime: conflict.remote.mtime, size: conflict.remote.size, problem: 'the remote version, which keeps the name'},
      ], 'The file changed on both sides since the last sync. Both versions are kept; delete the one you do not want (this issue goes when the conflict copy is gone).')
      store.saveIssue(lasting, true)
      env.log(`conflict: ${conflict.path}; the local version is now ${asidePath}`)
    } catch (error) {
      failed({kind: 'download', path: conflict.path, remote: conflict.remote}, error, false)
    }
  }

  const uploadOf = new Map(uploads.map((u) => [u.file, u]))
  await Promise.all([
    uploads.length === 0 ? undefined : uploadFiles(ctx, uploads.map((u) => u.file), (file, outcome) => {
      const upload = uploadOf.get(file)!
      if (outcome instanceof Error) return failed({kind: 'upload', path: upload.path, local: upload.local}, outcome, true)
      env.throttle.uploaded(sync.id, upload.path)
      recordFile(upload.path, outcome, file.path, upload.local)
    }, {signal: env.signal}),
    runBySize(downloads, (d) => d.remote.size, undefined, async (d) => {
      const absolute = join(root, localRel(d.path, local, remote))
      try {
        // The local file must still be the one this pass saw: if it changed meanwhile, the next pass decides.
        if (d.local && !unchanged(absolute, d.local)) return
        mkdirSync(join(absolute, '..'), {recursive: true})
        const node = nodeOf(ctx, d.remote)
        await downloadFile(ctx, node, absolute, {signal: env.signal})
        // The download gives the file the node's mtime, when it has one.
        recordFile(d.path, node, absolute, node.mtime === null ? undefined : {size: node.size, mtimeMs: node.mtime * 1000})
      } catch (error) {
        if (env.signal.aborted) throw error
        failed({kind: 'download', path: d.path, remote: d.remote}, error, false)
      }
    }),
  ])

  // Debris last: deepest first, so that nothing goes before what it holds was dealt with.
  const debris = actions.filter((a) => a.kind === 'remote-to-debris' || a.kind === 'local-to-debris').sort((a, b) => b.path.length - a.path.length)
  let debrisFolder: MegaNode | undefined
  for (const action of debris) {
    try {
      if (action.kind === 'remote-to-debris') {
        debrisFolder ??= await remoteDebrisFolder(ctx)
        await moveNode(ctx, nodeOf(ctx, action.remote), debrisFolder)
      } else if (action.kind === 'local-to-debris') {
        moveToLocalDebris(root, join(root, action.local.rel))
      }
      store.forgetTree(sync.id, action.path)
      env.log(`${action.kind}: ${action.path}`)
    } catch (error) {
      issues.push(issue(sync.id, `Cannot perform deletion '${action.path}'`, [{path: action.path, cloud: action.kind === 'remote-to-debris', type: null, mtime: null, size: null, problem: (error as Error).message}]))
    }
  }
  return {delayed, ...(recheckAt === undefined ? {} : {recheckAt})}
}

function unchanged(absolute: string, seen: LocalEntry): boolean {
  const info = lstatSync(absolute, {throwIfNoEntry: false})
  return info !== undefined && info.size === seen.size && info.mtimeMs === seen.mtimeMs
}

/** Same size and the same CRCs of MEGA's fingerprint: the same content, whatever the mtimes say. */
async function sameContent(absolute: string, local: LocalEntry, remote: RemoteEntry): Promise<boolean> {
  if (local.size !== remote.size || !remote.fingerprint) return false
  const mine = await fileFingerprint(absolute, local.size, Math.floor(local.mtimeMs / 1000))
  return fingerprintCrc(mine).equals(fingerprintCrc(remote.fingerprint))
}

/** `name (conflict 2026-12-02 13-05-11 host).ext` beside the file, free of any existing name. */
function conflictName(absolute: string): string {
  const ext = extname(absolute)
  const stem = ext ? absolute.slice(0, -ext.length) : absolute
  const now = new Date()
  const time = `${debrisDay(now)} ${[now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, '0')).join('-')}`
  let candidate = `${stem} (${CONFLICT_WORD} ${time} ${hostname()})${ext}`
  for (let n = 1; existsSync(candidate); n++) candidate = `${stem} (${CONFLICT_WORD} ${time} ${hostname()} ${n})${ext}`
  return candidate
}

/** `//bin/SyncDebris/YYYY-MM-DD`, made when missing: where MEGA's sync engines put what a sync deletes remotely. */
async function remoteDebrisFolder(ctx: MegaContext): Promise<MegaNode> {
  const rubbish = ctx.nodes.root(NodeType.RUBBISH)
  if (!rubbish) throw new Error('The account has no rubbish bin')
  let folder: MegaNode = rubbish
  const names = ['SyncDebris', debrisDay()]
  for (let i = 0; i < names.length; i++) {
    const existing: MegaNode | undefined = ctx.nodes.childrenNamed(folder.handle, names[i]).find((n) => n.type === NodeType.FOLDER)
    if (!existing) return (await createFolderPath(ctx, folder, names.slice(i))).at(-1)!
    folder = existing
  }
  return folder
}
