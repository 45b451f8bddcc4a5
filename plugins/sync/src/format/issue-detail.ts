import {join, posix} from 'node:path'
import {ColumnTable, sizeToText, strftime, terminalWidth} from '@mega-shell/core'
import type {IssuePath, SyncIssue, SyncListing} from '../service/sync-protocol.js'

/** MEGAcmd's mark of a cloud path in `sync-issues --detail` (SyncIssue::CloudPrefix). */
export const CLOUD_PREFIX = '<CLOUD>'
const TIME_FORMAT = '%Y-%m-%d %H:%M:%S'

export interface IssueDetailOptions {
  /** Path rows to show; Infinity for all (`--limit=0`). */
  limit: number
  /** `--disable-path-collapse`: PATH is never shortened with "...". */
  wholePaths: boolean
  separator?: string
  /** `--output-cols`; TYPE (File, Folder) can be asked for besides MEGAcmd's default columns. */
  columns?: string[]
}

const DEFAULT_COLUMNS = ['PATH', 'PATH_ISSUE', 'LAST_MODIFIED', 'UPLOADED', 'SIZE']

/**
 * `sync-issues --detail ID` as MEGAcmd prints it (sync_issues.cpp printSingleIssueDetail): the reason and its
 * description on one line, the parent sync, a blank line, then one row per path, local paths first (absolute, under
 * the sync's local folder), then cloud ones (`<CLOUD>` and the absolute remote path); `-` for what is unknown.
 * Lines without their final newline.
 */
export function issueDetailLines(issue: SyncIssue, sync: SyncListing | undefined, options: IssueDetailOptions): string[] {
  const description = issue.description ? `. ${issue.description.replace(/\.$/, '')}.` : ''
  const lines = [`${issue.reason}${description}`]
  lines.push(`Parent sync: ${sync ? `${sync.id} (${sync.localPath} to ${CLOUD_PREFIX}${sync.remotePath})` : '<not found>'}`, '')
  const paths = [...issue.paths.filter((p) => !p.cloud), ...issue.paths.filter((p) => p.cloud)]
  const table = new ColumnTable([
    {name: 'PATH', shrinkable: !options.wholePaths}, {name: 'PATH_ISSUE'}, {name: 'TYPE'}, {name: 'LAST_MODIFIED'}, {name: 'UPLOADED'}, {name: 'SIZE'},
  ])
  for (const path of paths.slice(0, options.limit)) table.add(pathRow(path, sync))
  lines.push(...table.render({width: terminalWidth(75), separator: options.separator, columns: options.columns ?? DEFAULT_COLUMNS}).split('\n').slice(0, -1))
  if (paths.length > options.limit) {
    lines.push('', `Note: showing ${options.limit} out of ${paths.length} path problems. Use "sync-issues --detail ${issue.id} --limit=0" to see all of them.`)
  }
  return lines
}

function pathRow(path: IssuePath, sync: SyncListing | undefined): Record<string, string> {
  return {
    PATH: absolutePath(path, sync),
    PATH_ISSUE: path.problem || '-',
    TYPE: path.type === 'file' ? 'File' : path.type === 'folder' ? 'Folder' : '-',
    LAST_MODIFIED: path.mtime ? strftime(TIME_FORMAT, path.mtime) : '-',
    UPLOADED: path.cloud && path.uploaded ? strftime(TIME_FORMAT, path.uploaded) : '-',
    SIZE: path.size !== null && path.size >= 0 && path.type !== 'folder' ? sizeToText(path.size) : '-',
  }
}

/** The service gives paths relative to the sync's roots; MEGAcmd shows them whole. */
function absolutePath(path: IssuePath, sync: SyncListing | undefined): string {
  if (path.cloud) return CLOUD_PREFIX + (sync ? posix.join(sync.remotePath, path.path) : path.path)
  return sync ? join(sync.localPath, ...path.path.split('/')) : path.path
}
