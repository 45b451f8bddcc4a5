import {fixLengthString, sizeToText, sizeUnit} from '@mega-shell/core'
import type {BackupListing, RunProgress} from '../service/backup-protocol.js'

export interface BackupTableOptions {
  /** Width of the path columns (MEGAcmd: --path-display-size, else from the terminal). */
  pathSize: number
  /** `-l`. */
  details: boolean
  /** `-h`. */
  history: boolean
  time: (unixSeconds: number) => string
}

const right = (text: string, width: number) => text.padStart(width)

/**
 * `backup`'s listing as MEGAcmd prints it (megacmdexecuter.cpp printBackupHeader, printBackupSummary,
 * printBackupDetails, printBackupHistory): a row per backup, with -l its period, count, next slot and the current or
 * last run, with -h the run folders in the cloud. Beyond MEGAcmd: the run's progress counts the bytes done (MEGAcmd
 * prints the total twice), the last run says how many files were copied in the cloud, and the history has a SIZE
 * column.
 */
export function backupTable(backups: BackupListing[], options: BackupTableOptions): string[] {
  const {pathSize} = options
  const lines = [`TAG   ${fixLengthString('LOCALPATH ', pathSize)} ${fixLengthString('REMOTEPARENTPATH ', pathSize)} ${right('STATUS', 14)}`]
  for (const backup of backups) {
    lines.push(`${fixLengthString(String(backup.tag), 5)} ${fixLengthString(backup.localPath, pathSize)} ${fixLengthString(backup.remotePath, pathSize)} ${right(backup.status, 14)}`)
    if (options.details) lines.push(...details(backup, options))
    if (options.history && backup.history?.length) lines.push(...history(backup, options))
  }
  return lines
}

function details(backup: BackupListing, options: BackupTableOptions): string[] {
  const lines = [
    `  Max Backups:   ${backup.numBackups}`,
    `  Period:         "${backup.period}"`,
    `  Next backup scheduled for: ${options.time(backup.nextRun)}`,
  ]
  const run = backup.current
  if (!run) return lines
  const failed = run.filesFailed > 0
  lines.push('   -- CURRENT/LAST BACKUP --')
  lines.push(`  ${fixLengthString('FILES UP/TOT', 15)}  ${fixLengthString('FOLDERS CREATED', 15)}  ${right('PROGRESS     ', 22)}${failed ? `  ${right('FAILED TRANSFERS', 17)}` : ''}`)
  lines.push(`  ${right(`${run.filesDone}/${run.filesTotal}`, 8)}         ${right(String(run.foldersCreated), 8)}         ${right(progressText(run), 22)}${failed ? right(String(run.filesFailed), 17) : ''}`)
  lines.push(`  ${run.name}: ${run.state}, ${run.filesCopied} file(s) copied in the cloud, ${sizeToText(run.bytesUploaded)} uploaded`)
  return lines
}

/** MEGAcmd's sizeProgressToText and percentageToText: `1.50/3.00 MB  50.00%`, in the unit of the total. */
function progressText(run: RunProgress): string {
  const [unit, name] = sizeUnit(run.bytesTotal)
  const percent = run.bytesTotal ? `${((run.bytesDone / run.bytesTotal) * 100).toFixed(2)}%` : '0.00%'
  return `${(run.bytesDone / unit).toFixed(2)}/${(run.bytesTotal / unit).toFixed(2)} ${name}  ${percent}`
}

function history(backup: BackupListing, options: BackupTableOptions): string[] {
  const dateWidth = options.time(Math.floor(Date.now() / 1000)).length + 1
  const lines = [
    '   -- HISTORY OF BACKUPS --',
    `  ${fixLengthString('NAME', options.pathSize)} ${fixLengthString('DATE', dateWidth)} ${right('STATUS', 11)} ${right('FILES', 6)} ${right('FOLDERS', 7)} ${right('SIZE', 11)}`,
  ]
  for (const entry of backup.history ?? []) {
    lines.push(`  ${fixLengthString(entry.name, options.pathSize)} ${fixLengthString(options.time(entry.date), dateWidth)} ${right(entry.state, 11)} ${right(String(entry.files), 6)} ${right(String(entry.folders), 7)} ${right(sizeToText(entry.size), 11)}`)
  }
  return lines
}
