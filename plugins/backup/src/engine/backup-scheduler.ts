import {basename} from 'node:path'
import {createFolderTree, deleteNode, type MegaContext, type MegaNode} from '@mega-shell/core'
import type {InstanceState, ScheduleStatus} from '../service/backup-protocol.js'
import {instanceName} from '../schedule/instance-name.js'
import {type Period} from '../schedule/period.js'
import {dueSlots} from '../schedule/slots.js'
import type {BackupStore, RunRecord, ScheduleRecord} from '../state/backup-store.js'
import {runBackup} from './backup-run.js'
import {instanceState, instanceStateAttribute, setInstanceState} from './instance-state.js'
import {exceeding, instancesOf} from './retention.js'

export interface SchedulerDeps {
  store: BackupStore
  /** The server's cache and API for the logged-in account. */
  mega: () => MegaContext | undefined
  log: (line: string) => void
}

/** Longest wait setTimeout takes (about 24.8 days); a later slot is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * One backup schedule while its account is logged in: waits for each slot, runs it (backup-run.ts), records its state
 * in the history and on the run folder, then applies retention. The SDK's rules (MegaScheduledCopyController::update):
 * a slot whose successor has come too (a run outlasted a period) is recorded SKIPPED, an empty folder, and never run
 * late; a slot that comes while a run goes on waits for it. Beyond the SDK, slots missed while the server was down are all
 * recorded SKIPPED at start rather than the last one run late.
 */
export class ScheduledBackup {
  status: ScheduleStatus = 'UNDEFINED'
  /** The run going on, or the last one. */
  run?: RunRecord
  private active = false
  private timer?: NodeJS.Timeout
  private busy?: Promise<void>
  private abortRun?: AbortController
  private stopping = false

  constructor(public record: ScheduleRecord, public period: Period, private readonly deps: SchedulerDeps) {
    this.run = deps.store.lastRun(record.tag)
  }

  get folderName(): string {
    return basename(this.record.localPath)
  }

  /**
   * Starts following the schedule: what a stop left ONGOING is MISCARRIED, slots missed meanwhile are SKIPPED (not
   * for a new backup, whose first slot is now).
   */
  async start(missed = true): Promise<void> {
    if (this.active) return
    this.active = true
    this.stopping = false
    this.status = 'ACTIVE'
    this.settle(this.recover(missed))
  }

  /**
   * Stops: a run going on is stopped and recorded MISCARRIED, as MEGAcmd's when its server stops, or ABORTED when the
   * backup is being removed.
   */
  async stop(interrupted: 'MISCARRIED' | 'ABORTED' = 'MISCARRIED'): Promise<void> {
    this.active = false
    this.stopping = interrupted === 'MISCARRIED'
    clearTimeout(this.timer)
    this.abortRun?.abort()
    await this.busy
    this.status = 'UNDEFINED'
  }

  /** `backup -a`: false when no run is going on. */
  abort(): boolean {
    if (!this.abortRun) return false
    this.abortRun.abort()
    return true
  }

  /** After --period or --num-backups changed: wait for the next slot of the new period. */
  reschedule(): void {
    clearTimeout(this.timer)
    this.tick()
  }

  private async recover(missed: boolean): Promise<void> {
    const {store} = this.deps
    for (const run of store.unfinishedRuns(this.record.tag)) await this.finish(run, 'MISCARRIED')
    this.run = store.lastRun(this.record.tag)
    if (!missed) return
    const {recent, following} = dueSlots(this.period, this.record.nextRun, Date.now(), this.record.numBackups)
    if (recent.length === 0) return
    this.record.nextRun = following
    store.updateSchedule(this.record)
    for (const slot of recent) await this.execute(slot, true)
    await this.applyRetention()
  }

  private tick(): void {
    if (!this.active || this.busy) return
    const now = Date.now()
    if (this.record.nextRun > now) {
      clearTimeout(this.timer)
      this.timer = setTimeout(() => this.tick(), Math.min(this.record.nextRun - now, MAX_TIMER_MS))
      return
    }
    // Every slot but the newest has its successor due already: those are SKIPPED (at most the number kept).
    const {recent, following} = dueSlots(this.period, this.record.nextRun, now, this.record.numBackups + 1)
    this.record.nextRun = following
    this.deps.store.updateSchedule(this.record)
    this.settle((async () => {
      for (const [i, slot] of recent.entries()) {
        if (!this.active) break
        await this.execute(slot, i < recent.length - 1)
      }
      if (this.active) await this.applyRetention()
    })())
  }

  /** Work on the schedule (one at a time): when it is done, the schedule is idle again and waits for its next slot. */
  private settle(work: Promise<void>): void {
    this.busy = work.catch((error: unknown) => {
      this.deps.log(`backup ${this.record.tag}: ${(error as Error).message}`)
    }).finally(() => {
      this.busy = undefined
      if (!this.active) return
      if (this.status !== 'FAILED') this.status = 'ACTIVE'
      this.tick()
    })
  }

  /** One slot: run it, or record it SKIPPED (an empty folder with that state, as the SDK makes). */
  private async execute(slot: number, skip: boolean): Promise<void> {
    const ctx = this.deps.mega()
    if (!ctx) return
    const {store, log} = this.deps
    const parent = ctx.nodes.get(this.record.remoteHandle)
    if (!parent) {
      this.status = 'FAILED'
      log(`backup ${this.record.tag}: the remote folder ${this.record.remotePath} is gone; slot ${new Date(slot).toISOString()} not backed up`)
      return
    }
    const name = instanceName(this.folderName, slot)
    if (ctx.nodes.childrenNamed(parent.handle, name).length > 0) return void log(`backup ${this.record.tag}: ${name} exists already`)
    const run = (this.run = store.addRun({
      tag: this.record.tag, name, handle: null, slot, started: Date.now(), ended: null, state: skip ? 'SKIPPED' : 'ONGOING', filesTotal: 0, filesDone: 0,
      foldersCreated: 0, bytesTotal: 0, bytesDone: 0, bytesUploaded: 0, filesCopied: 0, filesFailed: 0,
    }))
    if (skip) {
      this.status = 'SKIPPING'
      // Born SKIPPED: created bare, as the SDK does before setting BACKST, it would be listed ONGOING in between.
      const [folder] = (await createFolderTree(ctx, parent, {name, folders: [], attrs: instanceStateAttribute('SKIPPED')})).values()
      run.handle = folder.handle
      await this.finish(run, 'SKIPPED')
      log(`backup ${this.record.tag}: ${name} SKIPPED (its time passed while the server was down or a backup was running)`)
      return
    }
    this.status = 'ONGOING'
    const abort = (this.abortRun = new AbortController())
    let state: InstanceState
    try {
      const earlier = instancesOf(ctx, parent.handle, this.folderName).filter((i) => i.state !== 'SKIPPED').reverse()
      state = await runBackup({
        ctx, localPath: this.record.localPath, parent, name, earlier, counters: run, signal: abort.signal, log: (line) => log(`backup ${this.record.tag}: ${line}`),
        onFolder: (folder) => {
          run.handle = folder.handle
          store.updateRun(run)
        },
      })
    } catch (error) {
      log(`backup ${this.record.tag}: ${name} failed: ${(error as Error).message}`)
      state = abort.signal.aborted ? 'ABORTED' : 'INCOMPLETE'
    } finally {
      this.abortRun = undefined
    }
    if (state === 'ABORTED' && this.stopping) state = 'MISCARRIED'
    await this.finish(run, state)
    log(`backup ${this.record.tag}: ${name} ${state}: ${run.filesDone}/${run.filesTotal} files (${run.filesCopied} copied in the cloud), ${run.bytesUploaded} bytes uploaded`)
  }

  /** Records a run's final state: in the history, and on its folder when it has one. */
  private async finish(run: RunRecord, state: InstanceState): Promise<void> {
    run.state = state
    run.ended = Date.now()
    this.deps.store.updateRun(run)
    const ctx = this.deps.mega()
    const folder = run.handle ? ctx?.nodes.get(run.handle) : undefined
    if (ctx && folder && instanceState(folder) !== state) await setInstanceState(ctx, folder, state)
  }

  /**
   * Keeps the newest `numBackups` run folders, never the last COMPLETE one; a folder left ONGOING (or with no state)
   * by an earlier server is MISCARRIED first, as the SDK's removeexceeding does.
   */
  private async applyRetention(): Promise<void> {
    const ctx = this.deps.mega()
    if (!ctx || !ctx.nodes.get(this.record.remoteHandle)) return
    const instances = instancesOf(ctx, this.record.remoteHandle, this.folderName)
    for (const instance of instances) {
      if (instance.state !== undefined && instance.state !== 'ONGOING') continue
      instance.node = await setInstanceState(ctx, instance.node, 'MISCARRIED')
      instance.state = 'MISCARRIED'
    }
    const doomed = exceeding(instances, this.record.numBackups)
    if (doomed.length === 0) return
    this.status = 'EXCEEDREMOVAL'
    for (const {node} of doomed) {
      this.deps.log(`backup ${this.record.tag}: removing ${node.name} (more than ${this.record.numBackups} backups)`)
      await deleteNode(ctx, node as MegaNode)
    }
  }
}
