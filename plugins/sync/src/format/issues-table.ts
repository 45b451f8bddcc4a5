import {basename} from 'node:path'
import {ColumnTable, terminalWidth} from '@mega-shell/core'
import type {SyncIssue, SyncListing} from '../service/sync-protocol.js'

export interface IssueTableOptions {
  /** Rows to show; Infinity for all (`--limit=0`). */
  limit: number
  /** `--disable-path-collapse`: PARENT_SYNC is never shortened with "...". */
  wholePaths: boolean
  separator?: string
  columns?: string[]
}

/**
 * `sync-issues` as MEGAcmd prints it (sync_issues.cpp printAllIssues): the table ISSUE_ID PARENT_SYNC REASON, a
 * blank line, the note when rows were left out, and the hint about --detail. PARENT_SYNC is the sync's name, as
 * there: its local folder's name (`<not found>` when the sync is gone). Lines without their final newline.
 */
export function issueTableLines(issues: SyncIssue[], syncs: readonly SyncListing[], options: IssueTableOptions): string[] {
  const table = new ColumnTable([{name: 'ISSUE_ID'}, {name: 'PARENT_SYNC', shrinkable: !options.wholePaths}, {name: 'REASON'}])
  for (const issue of issues.slice(0, options.limit)) {
    const sync = syncs.find((s) => s.id === issue.syncId)
    table.add({ISSUE_ID: issue.id, PARENT_SYNC: sync ? basename(sync.localPath) : '<not found>', REASON: issue.reason})
  }
  const lines = table.render({width: terminalWidth(75), separator: options.separator, columns: options.columns}).split('\n').slice(0, -1)
  lines.push('')
  if (issues.length > options.limit) {
    lines.push(`Note: showing ${options.limit} out of ${issues.length} issues. Use "sync-issues --limit=0" to see all of them.`)
  }
  lines.push('Use "sync-issues --detail <ISSUE_ID>" to get further details on a specific issue.')
  return lines
}
