import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {askText, canPrompt, CommandError, ExitCode, MegaArgs, MegaCommand, NodeType, NotFoundError, terminalWidth, timeFormatFlag, timeFormatter, UsageError} from '@mega-shell/core'
import {backupTable} from '../../format/backup-table.js'
import {type ActRequest, type BackupListing, type BackupReply, callBackup, type CreateRequest, type ListReply} from '../../service/backup-protocol.js'

export interface BackupResult {
  /** The listing (no argument, or a TAG or local path). */
  backups?: BackupListing[]
  /** The backup made, changed, removed or aborted. */
  backup?: BackupListing
}

const USAGE = 'backup (localpath remotepath --period="PERIODSTRING" --num-backups=N | [-lhda] [TAG|localpath] [--period="PERIODSTRING"] [--num-backups=N]) [--time-format=FORMAT]'

export default class Backup extends MegaCommand<BackupResult> {
  static override summary = 'Make, list, change, abort or remove scheduled backups of local folders'
  static override description = `With a local folder and a remote folder, schedules backups of the local folder into the remote one: each
backup is a new folder <localfoldername>_bk_<YYYYMMDDHHMMSS> (the time in local time) holding the whole local tree
as it was then. The background server makes them, the first one at once; it must be running (mega-* commands start
it). Both --period and --num-backups are required:
  --period="0 0 4 * * *"  a cron expression of 6 fields, seconds first, in UTC (this one: every day at 04:00);
  --period=1d             or a time delay: y years, m months, d days, h hours, M minutes, s seconds (2h30M).
  --num-backups=N         keep the newest N backups; older ones are deleted for good, but the last COMPLETE one is
                          always kept.
A file unchanged since the previous backup (same size and fingerprint) is copied in the cloud from it, not
uploaded again: a backup of an unchanged tree moves no file bytes.
Each backup folder records its state in its BACKST attribute, as MEGAcmd does: ONGOING while it runs, COMPLETE,
INCOMPLETE (a file could not be uploaded), ABORTED (-a), MISCARRIED (the server stopped during it), SKIPPED (its
time came while the server was down or the previous backup was still running: an empty folder; it is not run late).
Without arguments, lists the backups (TAG, LOCALPATH, REMOTEPARENTPATH, STATUS); with a TAG or local path, that
one. -l adds the period, the number kept, the next backup's time and the current or last backup's progress; -h the
backups in the cloud (NAME, DATE, STATUS, FILES, FOLDERS, SIZE).
With a TAG or local path: -d removes the schedule (the backups in the cloud stay), -a aborts the backup running,
--period and --num-backups change it.
Exit codes: 51 bad arguments (a malformed period, a count below 1), 53 a missing local folder, remote folder or
backup (and "No backup configured"), 54 a second backup of the same local folder, or -a with no backup running,
55 a remote path that is a file.
On a terminal, a missing --period or --num-backups is asked for.`
  static override aliases = ['backup']
  static override examples = [
    '<%= config.bin %> backup ~/Documents /Backups --period="0 0 4 * * *" --num-backups=10',
    '<%= config.bin %> backup ./photos /Backups --period=2h30M --num-backups=5',
    '<%= config.bin %> backup',
    '<%= config.bin %> backup -lh 1',
    '<%= config.bin %> backup 1 --num-backups=20',
    '<%= config.bin %> backup -a ~/Documents',
    '<%= config.bin %> backup -d 1',
  ]
  static override args = {
    localpath: MegaArgs.string({description: 'local folder to back up, or the TAG or local folder of a backup'}),
    remotepath: MegaArgs.string({description: 'remote folder the backups go in'}),
  }
  static override flags = {
    details: Flags.boolean({char: 'l', description: 'show the period, the number kept, the next backup and the current or last backup'}),
    history: Flags.boolean({char: 'h', description: 'show the backups in the cloud (NAME, DATE, STATUS, FILES, FOLDERS, SIZE)'}),
    delete: Flags.boolean({char: 'd', description: 'remove the backup schedule (TAG or local path); the backups in the cloud stay'}),
    abort: Flags.boolean({char: 'a', description: 'abort the backup running (TAG or local path)'}),
    period: Flags.string({description: 'when backups run: a quoted 6-field cron expression (UTC, seconds first) or a time delay such as 1d or 2h30M', helpValue: 'PERIODSTRING'}),
    'num-backups': Flags.integer({description: 'how many backups to keep', helpValue: 'N'}),
    'path-display-size': Flags.integer({min: 0, description: 'use N characters for each path column', helpValue: 'N'}),
    'time-format': timeFormatFlag,
  }

  async run(): Promise<BackupResult> {
    const {args, flags} = await this.parse(Backup)
    const words = [args.localpath, args.remotepath].filter((word): word is string => word !== undefined)
    if (flags.delete && flags.abort) throw new UsageError(`-d and -a do not go together. Usage: ${USAGE}`)
    // MEGAcmd's clients (mega-exec, the shell) always send backup a path size of (terminal columns - 21) / 2, 29 without
    // a terminal (megacmdclient.cpp, megacmdshell.cpp); the server's own default is never reached from them.
    const pathSize = flags['path-display-size'] ?? Math.max(0, Math.floor((terminalWidth(80) - 21) / 2))
    const show = (backups: BackupListing[]) => {
      if (this.jsonEnabled()) return
      this.outLines(backupTable(backups, {pathSize, details: flags.details, history: flags.history, time: timeFormatter(flags['time-format'])}))
    }

    if (words.length === 2) {
      if (flags.delete || flags.abort) throw new UsageError(`-d and -a take one TAG or local path. Usage: ${USAGE}`)
      return this.create(words[0], words[1], flags.period, flags['num-backups'])
    }
    if (words.length === 0) {
      if (flags.delete || flags.abort || flags.period !== undefined || flags['num-backups'] !== undefined) throw new UsageError(`Usage: ${USAGE}`)
      const {backups} = await callBackup<ListReply>(this.config.root, 'list', {history: flags.history})
      if (backups.length === 0 && !this.jsonEnabled()) {
        // MEGAcmd prints this on stdout, and exits 53.
        this.outLines(['No backup configured. ', ` Usage: ${USAGE}`])
        this.exit(ExitCode.NOTFOUND)
      }
      show(backups)
      return {backups}
    }

    const target = /^\d+$/.test(words[0]) ? words[0] : resolve(words[0])
    if (flags.delete || flags.abort) {
      const reply = await this.act({target, action: flags.delete ? 'remove' : 'abort'})
      this.out(` Backup ${flags.delete ? 'removed' : 'aborted'} succesffuly: ${words[0]}`)
      return {backup: reply.backup}
    }
    if (flags.period !== undefined || flags['num-backups'] !== undefined) {
      const {backup} = await this.act({target, action: 'modify', period: flags.period, numBackups: flags['num-backups']})
      this.out(established(backup))
      return {backup}
    }
    const {backups} = await callBackup<ListReply>(this.config.root, 'list', {target, history: flags.history})
    show(backups)
    return {backups}
  }

  /** MEGAcmd's createOrModifyBackup: its checks and its "Backup established" line. */
  private async create(local: string, remote: string, period: string | undefined, count: number | undefined): Promise<BackupResult> {
    const ctx = this.context
    ctx.requireSession()
    if (period === undefined && canPrompt()) period = (await askText('Period (a cron expression such as "0 0 4 * * *", or a delay such as 1d):', 'period')).trim()
    if (count === undefined && canPrompt()) count = Number((await askText('Number of backups to keep:', 'number of backups')).trim())
    if (period === undefined || count === undefined) throw new UsageError(`A new backup needs --period and --num-backups. Usage: ${USAGE}`)
    await ctx.ready()
    const resolver = this.resolver()
    const node = resolver.resolveOne(remote)
    if (!node) throw new NotFoundError(`${remote} not found`)
    if (node.type === NodeType.FILE) throw new CommandError(`${remote} must be a valid folder`, ExitCode.INVALIDTYPE)
    const request: CreateRequest = {localPath: resolve(local), remoteHandle: node.handle, remotePath: resolver.pathOf(node), period, numBackups: count}
    const {backup} = await callBackup<BackupReply>(this.config.root, 'create', request)
    this.out(established(backup))
    return {backup}
  }

  private act(request: ActRequest): Promise<BackupReply> {
    return callBackup<BackupReply>(this.config.root, 'act', request)
  }
}

/** MEGAcmd: `Backup established: <local> into <remote> period=<"cron"|2h30M> Number-of-Backups=N`. */
function established(backup: BackupListing): string {
  const period = backup.periodKind === 'cron' ? `"${backup.period}"` : backup.period
  return `Backup established: ${backup.localPath} into ${backup.remotePath} period=${period} Number-of-Backups=${backup.numBackups}`
}
