import {randomBytes} from 'node:crypto'
import {realpathSync, statSync} from 'node:fs'
import {sep} from 'node:path'
import {CommandError, type DaemonService, ExitCode, type JsonValue, loggedInContext, type MegaContext, NodeType, type ServiceContext} from '@mega-shell/core'
import {runPass} from '../engine/sync-pass.js'
import {touchesSync} from '../remote/remote-relevance.js'
import {SyncRunner} from '../engine/sync-runner.js'
import {DEFAULT_THROTTLE, UploadThrottle} from '../engine/upload-throttle.js'
import {IGNORE_FILE, writeDefaultIgnoreFile} from '../ignore/default-ignore-file.js'
import {SyncStore, type SyncRecord} from '../state/sync-store.js'
import {
  type ActReply, type ActRequest, type AddReply, type AddRequest, type IssuesReply, type ListReply, SYNC_MODES, SYNC_SERVICE, type SyncConfig, type SyncListing,
} from './sync-protocol.js'

const SETTING_KEYS = {wait: 'delayed-uploads-wait-seconds', attempts: 'delayed-uploads-max-attempts', watched: 'max-watched-folders', scan: 'scan-seconds'}
/** Without file-system events, how often a sync scans its local folder (sync-config --set-scan-seconds). */
const DEFAULT_SCAN_SECONDS = 5

/**
 * The background server's syncs (`sync`, `sync-issues`, `sync-config`): their configuration and synced state in
 * SQLite (sync-store.ts), one SyncRunner each while the account they belong to is logged in and they are not paused.
 * Remote changes reach every runner from the live feed; each runner watches its own local folder.
 */
export class SyncService implements DaemonService {
  readonly name = SYNC_SERVICE
  readonly handlers = {
    add: (params: JsonValue | undefined) => this.add(params as unknown as AddRequest) as unknown as Promise<JsonValue>,
    list: () => ({syncs: this.listings()} satisfies ListReply) as unknown as JsonValue,
    act: (params: JsonValue | undefined) => this.act(params as unknown as ActRequest) as unknown as Promise<JsonValue>,
    issues: () => ({issues: this.requireStore().issues()} satisfies IssuesReply) as unknown as JsonValue,
    config: (params: JsonValue | undefined) => this.config(params as unknown as Partial<SyncConfig> | undefined) as unknown as JsonValue,
    'ignore-changed': (params: JsonValue | undefined) => {
      this.find((params as {target: string}).target).request(0)
    },
  }

  private store?: SyncStore
  private context?: ServiceContext
  private readonly runners = new Map<string, SyncRunner>()
  private readonly throttle = new UploadThrottle()

  start(context: ServiceContext): void {
    this.context = context
    const store = (this.store = new SyncStore(context.home))
    this.throttle.settings = {
      waitSeconds: Number(store.setting(SETTING_KEYS.wait) ?? DEFAULT_THROTTLE.waitSeconds),
      maxAttempts: Number(store.setting(SETTING_KEYS.attempts) ?? DEFAULT_THROTTLE.maxAttempts),
    }
    for (const record of store.syncs()) this.runners.set(record.id, this.runnerFor(record))
    context.onTreeChange((change) => {
      const ctx = context.mega()
      if (!ctx) return
      for (const runner of this.runners.values()) {
        const {id, remoteHandle} = runner.record
        if (touchesSync(ctx, change, {remoteHandle, hadHandle: (handle) => store.hasHandle(id, handle)})) runner.request()
      }
    })
    context.onSessionChange(() => void this.followSession())
    void this.followSession()
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop('Pending')))
    this.store?.close()
    this.store = undefined
  }

  status() {
    const syncs = this.listings()
    const busy = syncs.filter((s) => s.status === 'Syncing' || s.status === 'Pending').length
    return {state: busy > 0 ? 'running' : 'idle', message: `${syncs.length} sync(s), ${busy} busy`}
  }

  private runnerFor(record: SyncRecord): SyncRunner {
    const log = this.context!.log
    return new SyncRunner(record, {
      store: this.requireStore(), throttle: this.throttle, mega: () => this.context?.mega(), log: (line) => log.info(line), debug: (line) => log.debug(line),
      watch: () => ({maxWatchedFolders: this.config(undefined).maxWatchedFolders, scanSeconds: this.config(undefined).scanSeconds}),
    })
  }

  /** Runners run while their account is logged in (MEGAcmd's syncs belong to the session's account), unless paused. */
  private async followSession(): Promise<void> {
    const account = this.context?.mega()?.session?.userHandle
    for (const runner of this.runners.values()) {
      if (runner.record.account === account && !runner.record.paused) await runner.start()
      else await runner.stop(runner.record.paused ? 'Suspended' : 'Pending')
    }
  }

  private requireStore(): SyncStore {
    if (!this.store) throw new CommandError('The sync service is not running', ExitCode.INVALIDSTATE)
    return this.store
  }

  private async add(request: AddRequest): Promise<AddReply> {
    const {ctx, session} = loggedInContext(this.context)
    const store = this.requireStore()
    const info = statSync(request.localPath, {throwIfNoEntry: false})
    if (!info) throw new CommandError(`Local directory ${request.localPath} does not exist`, ExitCode.NOTFOUND)
    if (!info.isDirectory()) throw new CommandError(`Local path ${request.localPath} is not a directory`, ExitCode.INVALIDTYPE)
    const localPath = realpathSync(request.localPath)
    const remote = ctx.nodes.get(request.remoteHandle)
    if (!remote) throw new CommandError(`Remote directory ${request.remotePath} does not exist`, ExitCode.NOTFOUND)
    if (remote.type === NodeType.FILE) throw new CommandError(`Remote path ${request.remotePath} is not a folder`, ExitCode.INVALIDTYPE)
    if (!SYNC_MODES.includes(request.mode)) throw new CommandError(`Unknown sync mode: ${request.mode}`, ExitCode.EARGS)
    for (const other of store.syncs()) {
      if (nested(localPath, other.localPath)) throw new CommandError(`Local folder ${localPath} overlaps the sync ${other.id} (${other.localPath}): syncs cannot be nested`, ExitCode.INVALIDSTATE)
      if (other.account === session.userHandle && remoteNested(ctx, remote.handle, other.remoteHandle)) {
        throw new CommandError(`Remote folder ${request.remotePath} overlaps the sync ${other.id} (${other.remotePath}): syncs cannot be nested`, ExitCode.INVALIDSTATE)
      }
    }
    const record: SyncRecord = {
      id: newSyncId(), localPath, remoteHandle: remote.handle, remotePath: request.remotePath, mode: request.mode,
      maxDelete: request.maxDelete, paused: false, account: session.userHandle, created: Date.now(),
    }
    if (request.dryRun) {
      const outcome = await runPass({ctx, sync: record, store, throttle: this.throttle, stableMs: 0, signal: new AbortController().signal, log: () => {}, dryRun: true})
      return {plan: outcome.plan}
    }
    writeDefaultIgnoreFile(this.context!.home, localPath, ctx.nodes.childrenNamed(remote.handle, IGNORE_FILE).length > 0)
    store.addSync(record)
    const runner = this.runnerFor(record)
    this.runners.set(record.id, runner)
    this.context!.log.info(`sync ${record.id}: added ${localPath} <-> ${request.remotePath} (${record.mode})`)
    await runner.start()
    return {sync: this.listing(runner)}
  }

  private async act({target, action, mode, maxDelete}: ActRequest): Promise<ActReply> {
    const store = this.requireStore()
    const runner = this.find(target)
    const record = runner.record
    if (action === 'remove') {
      await runner.stop('Pending')
      store.removeSync(record.id)
      this.runners.delete(record.id)
      this.context!.log.info(`sync ${record.id}: removed`)
      return {sync: this.listing(runner)}
    }
    if (action === 'pause' || action === 'resume') {
      record.paused = action === 'pause'
      store.updateSync(record)
      await this.followSession()
    }
    if (action === 'set') {
      if (mode !== undefined) {
        if (!SYNC_MODES.includes(mode)) throw new CommandError(`Unknown sync mode: ${mode}`, ExitCode.EARGS)
        record.mode = mode
      }
      if (maxDelete !== undefined) record.maxDelete = maxDelete
      store.updateSync(record)
      runner.request(0)
    }
    if (action === 'plan') return {sync: this.listing(runner), plan: await runner.plan()}
    return {sync: this.listing(runner)}
  }

  private config(change: Partial<SyncConfig> | undefined): SyncConfig {
    const store = this.requireStore()
    if (change?.delayedUploadsWaitSeconds !== undefined) {
      if (!Number.isInteger(change.delayedUploadsWaitSeconds) || change.delayedUploadsWaitSeconds < 0) throw new CommandError('The wait must be a whole number of seconds', ExitCode.EARGS)
      this.throttle.settings = {...this.throttle.settings, waitSeconds: change.delayedUploadsWaitSeconds}
      store.setSetting(SETTING_KEYS.wait, String(change.delayedUploadsWaitSeconds))
    }
    if (change?.delayedUploadsMaxAttempts !== undefined) {
      // The SDK's range (UploadThrottlingManager::setMaxUploadsBeforeThrottle): 2 to 5.
      if (!Number.isInteger(change.delayedUploadsMaxAttempts) || change.delayedUploadsMaxAttempts < 2 || change.delayedUploadsMaxAttempts > 5) throw new CommandError('The attempts must be between 2 and 5', ExitCode.EARGS)
      this.throttle.settings = {...this.throttle.settings, maxAttempts: change.delayedUploadsMaxAttempts}
      store.setSetting(SETTING_KEYS.attempts, String(change.delayedUploadsMaxAttempts))
    }
    // These two take effect when a sync starts (added, resumed, or at the server's start).
    if (change?.maxWatchedFolders !== undefined) {
      if (change.maxWatchedFolders !== null && (!Number.isInteger(change.maxWatchedFolders) || change.maxWatchedFolders < 0)) throw new CommandError('The most watched folders must be a whole number, or none', ExitCode.EARGS)
      store.setSetting(SETTING_KEYS.watched, change.maxWatchedFolders === null ? '' : String(change.maxWatchedFolders))
    }
    if (change?.scanSeconds !== undefined) {
      if (!Number.isInteger(change.scanSeconds) || change.scanSeconds < 1) throw new CommandError('The scan interval must be a whole number of seconds, at least 1', ExitCode.EARGS)
      store.setSetting(SETTING_KEYS.scan, String(change.scanSeconds))
    }
    const watched = store.setting(SETTING_KEYS.watched)
    return {
      delayedUploadsWaitSeconds: this.throttle.settings.waitSeconds, delayedUploadsMaxAttempts: this.throttle.settings.maxAttempts,
      maxWatchedFolders: watched === undefined || watched === '' ? null : Number(watched), scanSeconds: Number(store.setting(SETTING_KEYS.scan) ?? DEFAULT_SCAN_SECONDS),
    }
  }

  /** A sync by its ID (the commands find the ID of a local path themselves: format/sync-target.ts, in the caller's cwd). */
  private find(id: string): SyncRunner {
    const runner = this.runners.get(id)
    if (!runner) throw new CommandError(`Sync not found: ${id}`, ExitCode.NOTFOUND)
    return runner
  }

  private listings(): SyncListing[] {
    return [...this.runners.values()].map((runner) => this.listing(runner))
  }

  private listing(runner: SyncRunner): SyncListing {
    const {record} = runner
    // Where the remote folder is now: it may have been moved or renamed since the sync was added.
    const remotePath = this.context?.mega()?.nodes.drivePath(record.remoteHandle) ?? record.remotePath
    return {
      id: record.id, localPath: record.localPath, remoteHandle: record.remoteHandle, remotePath, mode: record.mode, maxDelete: record.maxDelete,
      runState: runner.runState, status: runner.status, error: runner.error, issues: this.store?.issues(record.id).length ?? 0, watching: runner.watching, ...runner.totals,
      uploadsDelayed: runner.uploadsDelayed,
    }
  }
}

/**
 * 11 characters of URL-safe base64, as MEGAcmd's sync IDs; never starting with `-`, which `sync -d <ID>` would read as
 * a flag (one ID in 64 did, and failed with 51).
 */
function newSyncId(): string {
  for (;;) {
    const id = randomBytes(8).toString('base64url').slice(0, 11)
    if (!id.startsWith('-')) return id
  }
}

function nested(a: string, b: string): boolean {
  return a === b || a.startsWith(b.endsWith(sep) ? b : b + sep) || b.startsWith(a.endsWith(sep) ? a : a + sep)
}

/** One remote folder inside the other (or the same). */
function remoteNested(ctx: MegaContext, a: string, b: string): boolean {
  return ctx.nodes.isWithin(a, b) || ctx.nodes.isWithin(b, a)
}
