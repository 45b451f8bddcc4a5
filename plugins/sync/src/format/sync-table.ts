import {ColumnTable, sizeToText, terminalWidth} from '@mega-shell/core'
import type {SyncListing} from '../service/sync-protocol.js'

export interface SyncTableOptions {
  /** `--show-handles`: the REMOTEHANDLE column, `<H:handle>`. */
  showHandles: boolean
  /** `--path-display-size`: the least width of LOCALPATH and REMOTEPATH. */
  pathDisplaySize?: number
  /** `--col-separator`. */
  separator?: string
  /** `--output-cols`; besides MEGAcmd's columns, MODE, MAX_DELETE and WATCHING can be asked for. */
  columns?: string[]
}

/** MEGAcmd's columns (megacmd-reference.md §7.1), then ours, which only `--output-cols` shows. */
const HEADERS = [
  {name: 'ID'}, {name: 'LOCALPATH', shrinkable: true}, {name: 'REMOTEHANDLE'}, {name: 'REMOTEPATH', shrinkable: true}, {name: 'RUN_STATE'},
  {name: 'STATUS'}, {name: 'ERROR'}, {name: 'SIZE'}, {name: 'FILES'}, {name: 'DIRS'}, {name: 'MODE'}, {name: 'MAX_DELETE'}, {name: 'WATCHING'},
]
const MEGACMD_COLUMNS = ['ID', 'LOCALPATH', 'REMOTEHANDLE', 'REMOTEPATH', 'RUN_STATE', 'STATUS', 'ERROR', 'SIZE', 'FILES', 'DIRS']

/**
 * `sync`'s table as MEGAcmd prints it (sync_command.cpp printSingleSync): one row per sync, nothing at all when
 * there is none. ERROR is the sync's error, else `Sync Issues (N)` when it has issues, else `NO`.
 */
export function syncTable(syncs: SyncListing[], options: SyncTableOptions): string {
  if (syncs.length === 0) return ''
  const table = new ColumnTable(HEADERS)
  for (const sync of syncs) table.add(syncRow(sync))
  const columns = options.columns ?? MEGACMD_COLUMNS.filter((name) => name !== 'REMOTEHANDLE' || options.showHandles)
  return table.render({width: terminalWidth(75), minShrinkableWidth: options.pathDisplaySize, separator: options.separator, columns})
}

export function syncRow(sync: SyncListing): Record<string, string> {
  return {
    ID: sync.id,
    LOCALPATH: sync.localPath,
    REMOTEHANDLE: `<H:${sync.remoteHandle}>`,
    REMOTEPATH: sync.remotePath,
    RUN_STATE: sync.runState,
    STATUS: sync.status,
    ERROR: sync.error ?? (sync.issues > 0 ? `Sync Issues (${sync.issues})` : 'NO'),
    SIZE: sizeToText(sync.size),
    FILES: String(sync.files),
    DIRS: String(sync.dirs),
    MODE: sync.mode,
    MAX_DELETE: `${sync.maxDelete}%`,
    WATCHING: sync.watching,
  }
}

/** `Added sync: <local> to <remote>`, `Sync paused: …`: MEGAcmd names a sync by its two folders. */
export function syncPair(sync: SyncListing): string {
  return `${sync.localPath} to ${sync.remotePath}`
}
