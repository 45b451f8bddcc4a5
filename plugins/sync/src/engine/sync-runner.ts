import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {MegaContext} from '@mega-shell/core'
import {type LocalWatcher, watchLocal} from '../local/local-watcher.js'
import type {PlannedAction, RunState, SyncIssue, SyncStatus} from '../service/sync-protocol.js'
import type {SyncRecord, SyncStore} from '../state/sync-store.js'
import {issue} from './issues.js'
import {LARGE_TREE, releaseMemory} from './memory-release.js'
import {runPass, SyncRootError} from './sync-pass.js'
import type {UploadThrottle} from './upload-throttle.js'

/** A change on either side is acted on after this quiet time, so that a burst of events makes one pass. */
const DEBOUNCE_MS = 100
/** A local file modified less than this long ago may still be being written (sync-pass.ts waits for it). */
const STABLE_MS = 700
/** Even with file-system events, a full scan now and then catches what events can miss. */
const RESCAN_WATCHING_MS = 10 * 60_000
/** After a pass that failed, or a run of passes that kept finding work, the next one waits longer (up to a minute). */
const BACKOFF_FIRST_MS = 1_000
const BACKOFF_MAX_MS = 60_000

const mib = (bytes: number) => Math.round(bytes / 1048576)

export interface RunnerDeps {
  store: SyncStore
  throttle: UploadThrottle
  mega(): MegaContext | undefined
  log(line: string): void
  /** Lines for `log -c DEBUG`: each pass, its duration and the server's memory. */
  debug(line: string): void
  /** sync-config's watch settings (SyncConfig), read when a runner starts. */
  watch(): {maxWatchedFolders: number | null; scanSeconds: number}
}

/**
 * One sync at work in the background server: it watches the local root, hears of remote changes from the service,
 * and runs one pass at a time (sync-pass.ts), again whenever either side changes. Passes are serial per sync;
 * syncs run side by side.
 */
export class SyncRunner {
  runState: RunState = 'Pending'
  error: string | null = null
  watching: 'events' | 'scanning' = 'events'
  totals = {size: 0, files: 0, dirs: 0}
  /** The last pass held uploads back (sync-config's delayed uploads): `sync` says so, as MEGAcmd does. */
  uploadsDelayed = false
  private watchProblem?: string
  private watcher?: LocalWatcher
  private timer?: NodeJS.Timeout
  private timerAt = Infinity
  private rescan?: NodeJS.Timeout
  private running?: Promise<void>
  private again = false
  private busy = false
  private stopped = true
  private controller = new AbortController()
  /** Passes in a row that found work, or failed: their count sets the backoff. */
  private streak = 0

  constructor(public record: SyncRecord, private readonly deps: RunnerDeps) {}

  get status(): SyncStatus {
    if (this.runState !== 'Running') return 'NONE'
    if (this.busy) return 'Syncing'
    return this.timer ? 'Pending' : 'Synced'
  }

  async start(): Promise<void> {
    if (!this.stopped) return
    this.stopped = false
    this.controller = new AbortController()
    this.runState = 'Loading'
    this.watching = 'events'
    this.watchProblem = undefined
    this.watcher = await watchLocal(this.record.localPath, this.deps.watch().maxWatchedFolders, () => this.request(DEBOUNCE_MS), (reason) => this.fallBackToScanning(reason)).catch((error: unknown) => {
      this.fallBackToScanning((error as Error).message)
      return undefined
    })
    if (this.stopped) return void (await this.watcher?.close())
    this.runState = 'Running'
    this.armRescan()
    this.request(0)
  }

  async stop(state: RunState = 'Suspended'): Promise<void> {
    this.stopped = true
    this.runState = state
    clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
    clearInterval(this.rescan)
    this.controller.abort()
    await this.watcher?.close()
    this.watcher = undefined
    await this.running
  }

  /** Something changed (remote change, ignore rules edited): a pass soon. */
  request(delayMs = DEBOUNCE_MS): void {
    if (this.stopped) return
    const at = Date.now() + delayMs
    if (this.timer && this.timerAt <= at) return
    clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.timerAt = Infinity
      if (this.busy) this.again = true
      else this.running = this.pass()
    }, Math.max(0, delayMs))
  }

  /** The plan of a pass, changing nothing (--dry-run). */
  async plan(): Promise<PlannedAction[]> {
    const ctx = this.requireContext()
    const outcome = await runPass({...this.passEnv(ctx), dryRun: true})
    return outcome.plan
  }

  private requireContext(): MegaContext {
    const ctx = this.deps.mega()
    if (!ctx?.session) throw new SyncRootError('Not logged in')
    return ctx
  }

  private passEnv(ctx: MegaContext) {
    return {ctx, sync: this.record, store: this.deps.store, throttle: this.deps.throttle, stableMs: STABLE_MS, signal: this.controller.signal, log: (line: string) => this.deps.log(`sync ${this.record.id}: ${line}`)}
  }

  private fallBackToScanning(reason: string): void {
    this.watching = 'scanning'
    this.watchProblem = reason
    this.watcher = undefined
    this.deps.log(`sync ${this.record.id}: cannot watch ${this.record.localPath} (${reason}); scanning every ${this.deps.watch().scanSeconds} s instead`)
    this.armRescan()
  }

  private armRescan(): void {
    clearInterval(this.rescan)
    if (this.stopped) return
    this.rescan = setInterval(() => this.request(0), this.watching === 'scanning' ? this.deps.watch().scanSeconds * 1000 : RESCAN_WATCHING_MS)
    this.rescan.unref()
  }

  private async pass(): Promise<void> {
    this.busy = true
    this.again = false
    let next: number | undefined
    const started = performance.now()
    try {
      const ctx = this.requireContext()
      const outcome = await runPass(this.passEnv(ctx))
      if (outcome.totals.files + outcome.totals.dirs >= LARGE_TREE) releaseMemory([ctx.db, this.deps.store.database])
      const {rss, heapUsed} = process.memoryUsage()
      this.deps.debug(`sync ${this.record.id}: pass of ${outcome.plan.length} action(s) in ${Math.round(performance.now() - started)} ms; heap ${mib(heapUsed)} MiB, RSS ${mib(rss)} MiB`)
      this.error = null
      this.totals = outcome.totals
      this.uploadsDelayed = outcome.delayedUploads > 0
      const failures = outcome.issues.some((i) => i.reason.startsWith("Can't upload") || i.reason.startsWith("Can't download") || i.reason.startsWith('Cannot'))
      this.saveIssues(outcome.issues)
      this.streak = outcome.acted || failures ? this.streak + 1 : 0
      // Acting changes both sides: another pass confirms they agree (soon, unless passes keep finding work).
      if (outcome.acted || failures) next = this.backoff(failures)
      if (outcome.recheckAt !== undefined) next = Math.min(next ?? Infinity, Math.max(0, outcome.recheckAt - Date.now()))
    } catch (error) {
      if (this.stopped) return
      this.error = (error as Error).message
      this.deps.log(`sync ${this.record.id}: pass failed: ${this.error}`)
      this.streak++
      next = this.backoff(true)
    } finally {
      this.busy = false
      this.running = undefined
    }
    if (this.again) next = Math.min(next ?? Infinity, DEBOUNCE_MS)
    if (next !== undefined) this.request(next)
  }

  private backoff(failed: boolean): number {
    if (!failed && this.streak < 5) return DEBOUNCE_MS
    return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, this.streak - (failed ? 1 : 5)))
  }

  /** This pass's issues replace the last pass's; a conflict's stays until its local copy is gone. */
  private saveIssues(found: SyncIssue[]): void {
    const {store, record} = {store: this.deps.store, record: this.record}
    if (this.watchProblem) {
      found.push(issue(record.id, `Unable to add filesystem watch: '${record.localPath}'`, [], `The sync keeps working by scanning its folder every ${this.deps.watch().scanSeconds} s (${this.watchProblem}).`))
    }
    store.replaceIssues(record.id, found)
    for (const lasting of store.lastingIssues(record.id)) {
      const copy = lasting.paths.find((p) => !p.cloud)
      if (copy && !existsSync(join(record.localPath, copy.path))) store.dropIssue(lasting.id)
    }
  }
}
