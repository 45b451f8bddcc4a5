import {callService, type JsonValue} from '@mega-shell/core'

/**
 * What the sync plugin's commands send to the background server's `sync` service, and its answers: plain JSON over
 * the server's service calls (services.ts). The commands resolve paths (the remote one with the caller's cwd), the
 * service owns the syncs.
 */
export const SYNC_SERVICE = 'sync'

/**
 * Which way changes flow. MEGAcmd only has `two-way`; the others are what its users ask for:
 * - `up` / `down`: new and changed files (and moves) go one way; nothing is ever deleted on the receiving side;
 * - `mirror-up` / `mirror-down`: the receiving side is made identical to the other, its own changes overwritten
 *   and its extra files moved to debris.
 */
export const SYNC_MODES = ['two-way', 'up', 'down', 'mirror-up', 'mirror-down'] as const
export type SyncMode = (typeof SYNC_MODES)[number]

/** MEGAcmd's RUN_STATE column (§7.1): `Suspended` is a paused sync, whose state stays on disk. */
export type RunState = 'Pending' | 'Loading' | 'Running' | 'Suspended'
/** MEGAcmd's STATUS column: the state of the local root. */
export type SyncStatus = 'NONE' | 'Synced' | 'Pending' | 'Syncing' | 'Processing'

/** One sync as `sync` lists it. */
export interface SyncListing {
  /** 11 characters of URL-safe base64, as MEGAcmd's sync ids. */
  id: string
  localPath: string
  remoteHandle: string
  remotePath: string
  mode: SyncMode
  /** A pass that would delete more than this percentage of the synced files stops and raises an issue. */
  maxDelete: number
  runState: RunState
  status: SyncStatus
  /** The sync's error (MEGAcmd's ERROR column), or null. */
  error: string | null
  /** Open issues of this sync. */
  issues: number
  /** How local changes are noticed: file-system events, or periodic scans when no watch could be added. */
  watching: 'events' | 'scanning'
  /** Of the remote folder. */
  size: number
  files: number
  dirs: number
  /**
   * Some of its "Pending" uploads are being held back because the files change too often (sync-config): `sync`
   * then adds MEGAcmd's note about delayed uploads after the table. Optional; absent means no.
   */
  uploadsDelayed?: boolean
}

export interface AddRequest {
  localPath: string
  remoteHandle: string
  /** As the caller named it (absolute), for messages. */
  remotePath: string
  mode: SyncMode
  maxDelete: number
  /** Print the first pass's plan instead of adding the sync. */
  dryRun: boolean
}

export interface AddReply {
  sync?: SyncListing
  /** With dryRun: the actions the first pass would take. */
  plan?: PlannedAction[]
}

/** `sync -d|-p|-e|--dry-run ID|localpath`, or a setting changed on an existing sync. */
export interface ActRequest {
  /** The sync's ID. */
  target: string
  action: 'remove' | 'pause' | 'resume' | 'show' | 'plan' | 'set'
  /** With `set`. */
  mode?: SyncMode
  maxDelete?: number
}

export interface ActReply {
  sync: SyncListing
  plan?: PlannedAction[]
}

export interface ListReply {
  syncs: SyncListing[]
}

/** An action of a pass, as `--dry-run` prints it. Paths are relative to the sync's roots, with `/`. */
export interface PlannedAction {
  kind: ActionKind
  path: string
  /** Moves: where to. Conflicts: the name the local copy gets. */
  to?: string
}

export type ActionKind =
  | 'upload' | 'download'
  | 'create-remote-folder' | 'create-local-folder'
  | 'move-remote' | 'move-local'
  | 'remote-to-debris' | 'local-to-debris'
  | 'conflict'

/** MEGAcmd's sync-issues row, and its details. */
export interface SyncIssue {
  /** Short and stable while the issue lasts. */
  id: string
  syncId: string
  /** One line, MEGAcmd's wording where it has one ("Can't upload 'x' to the selected location"). */
  reason: string
  /** More words for `--detail`. */
  description?: string
  /** When it was raised (unix ms). */
  raised: number
  paths: IssuePath[]
}

export interface IssuePath {
  /** Relative to the sync root, with `/`. */
  path: string
  cloud: boolean
  type: 'file' | 'folder' | null
  /** Unix seconds, when known. */
  mtime: number | null
  /** Cloud paths: when the node was uploaded or created (unix seconds), for `sync-issues --detail`'s UPLOADED. Optional. */
  uploaded?: number | null
  size: number | null
  /** What is wrong with this path (MEGAcmd's PATH_ISSUE column). */
  problem?: string
}

export interface IssuesReply {
  issues: SyncIssue[]
}

/**
 * `sync-config`: the delays before a file that keeps changing is uploaded (MEGAcmd's delayed uploads); beyond MEGAcmd,
 * how local changes are noticed: the most folders one sync watches with file-system events (inotify takes one watch
 * per folder, and the system has a limit; null: no limit of ours), and how often a sync that cannot watch scans.
 */
export interface SyncConfig {
  delayedUploadsWaitSeconds: number
  delayedUploadsMaxAttempts: number
  maxWatchedFolders: number | null
  scanSeconds: number
}

export type SyncMethod = 'add' | 'list' | 'act' | 'issues' | 'config' | 'ignore-changed'

/** Calls the sync service of the profile's background server (started if it is not running). */
export async function callSync<R>(root: string, method: SyncMethod, params?: object): Promise<R> {
  return (await callService(SYNC_SERVICE, method, params as unknown as JsonValue, {root})) as unknown as R
}
