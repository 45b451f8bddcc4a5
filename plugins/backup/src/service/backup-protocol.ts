import {callService, type JsonValue} from '@mega-shell/core'

/**
 * What the backup plugin's command sends to the background server's `backup` service, and its answers: plain JSON
 * over the server's service calls (services.ts). The command resolves paths (the remote one with the caller's cwd);
 * the service owns the schedules and runs them.
 */
export const BACKUP_SERVICE = 'backup'

/**
 * A run's state, kept where MEGAcmd keeps it: the custom attribute BACKST of the run's folder (SDK
 * MegaScheduledCopyController, setCustomNodeAttribute(node, "BACKST", …)), so any client of the account sees it.
 */
export const INSTANCE_STATES = ['ONGOING', 'COMPLETE', 'INCOMPLETE', 'ABORTED', 'MISCARRIED', 'SKIPPED'] as const
export type InstanceState = (typeof INSTANCE_STATES)[number]

/** The schedule's STATUS column (MEGAcmd's backupSatetStr): what it is doing now. */
export type ScheduleStatus = 'ACTIVE' | 'ONGOING' | 'SKIPPING' | 'EXCEEDREMOVAL' | 'FAILED' | 'UNDEFINED'

/** The current or last run, for `backup -l` (MEGAcmd's "CURRENT/LAST BACKUP"). */
export interface RunProgress {
  name: string
  state: InstanceState
  /** Unix seconds. */
  started: number
  ended: number | null
  filesDone: number
  filesTotal: number
  foldersCreated: number
  bytesDone: number
  bytesTotal: number
  /** File bytes that went up: a file unchanged since the previous backup is copied in the cloud instead. */
  bytesUploaded: number
  filesCopied: number
  filesFailed: number
}

/** One run folder in the cloud, for `backup -h` (MEGAcmd's "HISTORY OF BACKUPS"). */
export interface HistoryEntry {
  name: string
  /** The slot's time, from the folder's name (unix seconds). */
  date: number
  /** The folder's BACKST, or NOT_FOUND when it has none. */
  state: InstanceState | 'NOT_FOUND'
  files: number
  folders: number
  size: number
}

/** One schedule as `backup` lists it. */
export interface BackupListing {
  tag: number
  localPath: string
  remoteHandle: string
  /** Where the remote parent is now, or as given when it is gone. */
  remotePath: string
  /** As MEGAcmd prints it: a cron expression, or a delay such as `2h30M`. */
  period: string
  periodKind: 'cron' | 'delay'
  numBackups: number
  status: ScheduleStatus
  /** Unix seconds. */
  nextRun: number
  current?: RunProgress
  history?: HistoryEntry[]
}

export interface CreateRequest {
  localPath: string
  remoteHandle: string
  remotePath: string
  period: string
  numBackups: number
}

export interface ListRequest {
  /** A TAG or a local path; all schedules without. */
  target?: string
  history?: boolean
}

export interface ActRequest {
  target: string
  action: 'remove' | 'abort' | 'modify'
  period?: string
  numBackups?: number
}

export interface BackupReply {
  backup: BackupListing
}

export interface ListReply {
  backups: BackupListing[]
}

export type BackupMethod = 'create' | 'list' | 'act'

/** Calls the backup service of the profile's background server (started if it is not running). */
export async function callBackup<R>(root: string, method: BackupMethod, params?: object): Promise<R> {
  return (await callService(BACKUP_SERVICE, method, params as unknown as JsonValue, {root})) as unknown as R
}
