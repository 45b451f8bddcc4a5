import {realpathSync, statSync} from 'node:fs'
import {CommandError, type DaemonService, ExitCode, type JsonValue, loggedInContext, type MegaContext, NodeType, type ServiceContext, UsageError} from '@mega-shell/core'
import {ScheduledBackup} from '../engine/backup-scheduler.js'
import {instancesOf} from '../engine/retention.js'
import {nextSlot, parsePeriod, type Period, periodText} from '../schedule/period.js'
import {BackupStore, type ScheduleRecord} from '../state/backup-store.js'
import {
  type ActRequest, BACKUP_SERVICE, type BackupListing, type BackupReply, type CreateRequest, type HistoryEntry, type ListReply, type ListRequest, type RunProgress,
} from './backup-protocol.js'

/**
 * The background server's backups (`backup`): schedules and run history in SQLite (backup-store.ts), one
 * ScheduledBackup each while the account it belongs to is logged in (MEGAcmd restores backups at login).
 */
export class BackupService implements DaemonService {
  readonly name = BACKUP_SERVICE
  readonly handlers = {
    create: (params: JsonValue | undefined) => this.create(params as unknown as CreateRequest) as unknown as Promise<JsonValue>,
    list: (params: JsonValue | undefined) => this.list((params ?? {}) as unknown as ListRequest) as unknown as JsonValue,
    act: (params: JsonValue | undefined) => this.act(params as unknown as ActRequest) as unknown as Promise<JsonValue>,
  }

  private store?: BackupStore
  private context?: ServiceContext
  private readonly backups = new Map<number, ScheduledBackup>()

  start(context: ServiceContext): void {
    this.context = context
    const store = (this.store = new BackupStore(context.home))
    for (const record of store.schedules()) this.backups.set(record.tag, this.scheduled(record, periodOf(record)))
    context.onSessionChange(() => void this.followSession())
    void this.followSession()
  }

  async stop(): Promise<void> {
    await Promise.all([...this.backups.values()].map((backup) => backup.stop()))
    this.store?.close()
    this.store = undefined
  }

  status() {
    const running = [...this.backups.values()].filter((b) => b.status === 'ONGOING').length
    return {state: running > 0 ? 'running' : 'idle', message: `${this.backups.size} backup(s), ${running} running`}
  }

  private scheduled(record: ScheduleRecord, period: Period): ScheduledBackup {
    const log = this.context!.log
    return new ScheduledBackup(record, period, {store: this.requireStore(), mega: () => this.context?.mega(), log: (line) => log.info(line)})
  }

  /** Backups run while their account is logged in. */
  private async followSession(): Promise<void> {
    const account = this.context?.mega()?.session?.userHandle
    for (const backup of this.backups.values()) {
      if (backup.record.account === account) await backup.start()
      else await backup.stop()
    }
  }

  private requireStore(): BackupStore {
    if (!this.store) throw new CommandError('The backup service is not running', ExitCode.INVALIDSTATE)
    return this.store
  }

  /** MEGAcmd's checks (createOrModifyBackup): an existing local folder, an existing remote folder, a period and a count. */
  private async create(request: CreateRequest): Promise<BackupReply> {
    const {ctx, session} = loggedInContext(this.context)
    const store = this.requireStore()
    if (!statSync(request.localPath, {throwIfNoEntry: false})?.isDirectory()) throw new CommandError(`Local path must be an existing folder: ${request.localPath}`, ExitCode.NOTFOUND)
    const localPath = realpathSync(request.localPath)
    const remote = ctx.nodes.get(request.remoteHandle)
    if (!remote) throw new CommandError(`${request.remotePath} not found`, ExitCode.NOTFOUND)
    if (remote.type === NodeType.FILE) throw new CommandError(`${request.remotePath} must be a valid folder`, ExitCode.INVALIDTYPE)
    const period = parsePeriod(request.period)
    checkCount(request.numBackups)
    const other = store.schedules().find((s) => s.localPath === localPath)
    if (other) throw new CommandError(`A backup of ${localPath} exists already (TAG ${other.tag}): change it with backup ${other.tag} --period=… --num-backups=…`, ExitCode.INVALIDSTATE)
    const record = store.addSchedule({
      localPath, remoteHandle: remote.handle, remotePath: request.remotePath, periodKind: period.kind, periodValue: period.kind === 'cron' ? period.expression : String(period.seconds),
      numBackups: request.numBackups, account: session.userHandle, nextRun: Date.now(), created: Date.now(),
    })
    const backup = this.scheduled(record, period)
    this.backups.set(record.tag, backup)
    this.context!.log.info(`backup ${record.tag}: ${localPath} into ${request.remotePath} every ${periodText(period)}, keeping ${record.numBackups}`)
    // The first backup runs at once (its first slot is now).
    await backup.start(false)
    return {backup: this.listing(backup, false)}
  }

  private list(request: ListRequest): ListReply {
    this.requireStore()
    const chosen = request.target === undefined ? [...this.backups.values()] : [this.find(request.target)]
    return {backups: chosen.map((backup) => this.listing(backup, Boolean(request.history)))}
  }

  private async act({target, action, period, numBackups}: ActRequest): Promise<BackupReply> {
    const store = this.requireStore()
    const backup = this.find(target)
    if (action === 'remove') {
      await backup.stop('ABORTED')
      store.removeSchedule(backup.record.tag)
      this.backups.delete(backup.record.tag)
      this.context!.log.info(`backup ${backup.record.tag}: removed`)
    } else if (action === 'abort') {
      if (!backup.abort()) throw new CommandError(`No backup of ${backup.record.localPath} is running`, ExitCode.INVALIDSTATE)
    } else {
      const record = backup.record
      if (numBackups !== undefined) {
        checkCount(numBackups)
        record.numBackups = numBackups
      }
      if (period !== undefined) {
        backup.period = parsePeriod(period)
        record.periodKind = backup.period.kind
        record.periodValue = backup.period.kind === 'cron' ? backup.period.expression : String(backup.period.seconds)
        record.nextRun = nextSlot(backup.period, Date.now())
      }
      store.updateSchedule(record)
      backup.reschedule()
    }
    return {backup: this.listing(backup, false)}
  }

  /** A backup by its TAG or its local path (the command sends local paths absolute). */
  private find(target: string): ScheduledBackup {
    const byTag = /^\d+$/.test(target) ? this.backups.get(Number(target)) : undefined
    const real = (() => {
      try {
        return realpathSync(target)
      } catch {
        return target
      }
    })()
    const found = byTag ?? [...this.backups.values()].find((b) => b.record.localPath === target || b.record.localPath === real)
    if (!found) throw new CommandError(`Backup not found: ${target}`, ExitCode.NOTFOUND)
    return found
  }

  private listing(backup: ScheduledBackup, history: boolean): BackupListing {
    const {record, run} = backup
    const ctx = this.context?.mega()
    const current: RunProgress | undefined = run && {
      name: run.name, state: run.state, started: Math.floor(run.started / 1000), ended: run.ended === null ? null : Math.floor(run.ended / 1000),
      filesDone: run.filesDone, filesTotal: run.filesTotal, foldersCreated: run.foldersCreated, bytesDone: run.bytesDone, bytesTotal: run.bytesTotal,
      bytesUploaded: run.bytesUploaded, filesCopied: run.filesCopied, filesFailed: run.filesFailed,
    }
    return {
      tag: record.tag, localPath: record.localPath, remoteHandle: record.remoteHandle, remotePath: ctx?.nodes.drivePath(record.remoteHandle) ?? record.remotePath,
      period: periodText(backup.period), periodKind: backup.period.kind, numBackups: record.numBackups, status: backup.status, nextRun: Math.floor(record.nextRun / 1000),
      ...(current ? {current} : {}), ...(history ? {history: ctx ? historyOf(ctx, backup) : []} : {}),
    }
  }
}

function periodOf(record: ScheduleRecord): Period {
  return record.periodKind === 'cron' ? {kind: 'cron', expression: record.periodValue} : {kind: 'delay', seconds: Number(record.periodValue)}
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count <= 0) throw new UsageError(`Invalid number of backups: ${count} (it must be 1 or more)`)
}

/** The run folders in the cloud, with what each holds (MEGAcmd's -h reads them from the account too). */
function historyOf(ctx: MegaContext, backup: ScheduledBackup): HistoryEntry[] {
  if (!ctx.nodes.get(backup.record.remoteHandle)) return []
  return instancesOf(ctx, backup.record.remoteHandle, backup.folderName).map(({node, time, state}) => {
    const usage = ctx.subtrees.usage(node.handle)
    // A folder without BACKST is one a run was making (the SDK reads a missing value as ONGOING).
    return {name: node.name, date: Math.floor(time / 1000), state: state ?? 'ONGOING', files: usage.files, folders: usage.folders - 1, size: usage.bytes}
  })
}
