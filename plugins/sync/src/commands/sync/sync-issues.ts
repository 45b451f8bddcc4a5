import {Flags} from '@oclif/core'
import {MegaArgs, MegaCommand, NotFoundError, UsageError} from '@mega-shell/core'
import {columnFlags, outputColumns} from '../../format/column-flags.js'
import {issueDetailLines} from '../../format/issue-detail.js'
import {issueTableLines} from '../../format/issues-table.js'
import {callSync, type IssuesReply, type ListReply, type SyncIssue} from '../../service/sync-protocol.js'

export interface SyncIssuesResult {
  /** The issues listed or detailed (all of them in JSON: --limit only shortens the text). */
  issues: SyncIssue[]
}

const USAGE = 'sync-issues [[--detail (ID|--all)] [--limit=rowcount] [--disable-path-collapse]] | [--enable-warning|--disable-warning]'

export default class SyncIssues extends MegaCommand<SyncIssuesResult> {
  static override summary = 'Show the issues that keep syncs from progressing'
  static override description = `When a sync meets something it cannot decide or do on its own (conflicting changes, a pass that would
delete more than --max-delete allows, a name the other side cannot store, a folder that cannot be watched…), it
raises a sync issue and leaves the paths involved alone until the issue is gone.
Without options, lists the issues: ISSUE_ID, PARENT_SYNC (the name of the sync's local folder) and REASON, at most
--limit of them (10 by default, 0 for all).
--detail ID shows one issue: its reason and description, the sync it belongs to
("Parent sync: <ID> (<local folder> to <CLOUD><remote folder>)"), and each path involved with PATH (cloud paths
start with "<CLOUD>"), PATH_ISSUE, LAST_MODIFIED, UPLOADED (cloud paths) and SIZE; "-" when not known or not
relevant. --detail --all does that for every issue. --output-cols can also name TYPE (File or Folder).
Paths and sync names that do not fit are shortened with "..." in the middle unless --disable-path-collapse.
The list is a snapshot: an issue the sync is still working on may disappear on its own.
Differences from MEGAcmd: the background server does not broadcast a warning when issues appear (the "sync"
listing says so instead), so --enable-warning and --disable-warning only answer with a note.`
  static override aliases = ['sync-issues']
  static override examples = [
    '<%= config.bin %> sync-issues',
    '<%= config.bin %> sync-issues --limit=0',
    '<%= config.bin %> sync-issues --detail Ab3dEf6hIjK',
    '<%= config.bin %> sync-issues --detail --all --disable-path-collapse',
    '<%= config.bin %> sync-issues --col-separator=";" --output-cols=ISSUE_ID,REASON',
  ]
  static override args = {
    id: MegaArgs.string({description: 'with --detail: the ISSUE_ID of the issue to show'}),
  }
  static override flags = {
    detail: Flags.boolean({description: 'show the details of the issue given (or of all with --all)'}),
    all: Flags.boolean({description: 'with --detail: the details of every issue'}),
    limit: Flags.integer({min: 0, description: 'show at most this many rows (issues, or paths with --detail); 0 for all (default 10)', helpValue: 'ROWCOUNT'}),
    'disable-path-collapse': Flags.boolean({description: 'print paths and sync names whole, never shortened with "..."'}),
    'enable-warning': Flags.boolean({description: 'accepted for MEGAcmd\'s scripts: no warning is ever broadcast here', exclusive: ['disable-warning']}),
    'disable-warning': Flags.boolean({description: 'accepted for MEGAcmd\'s scripts: no warning is ever broadcast here', exclusive: ['enable-warning']}),
    ...columnFlags,
  }

  async run(): Promise<SyncIssuesResult> {
    const {args, flags} = await this.parse(SyncIssues)
    if (flags['enable-warning'] || flags['disable-warning']) {
      this.out(`Note: sync issue warnings are not broadcast by this server; "sync" mentions open issues after its listing`)
      return {issues: []}
    }
    if (flags.detail ? Boolean(flags.all) === (args.id !== undefined) : flags.all || args.id !== undefined) throw new UsageError(`Usage: ${USAGE}`)
    const limit = flags.limit === undefined ? 10 : flags.limit === 0 ? Infinity : flags.limit
    const layout = {limit, wholePaths: Boolean(flags['disable-path-collapse']), separator: flags['col-separator'], columns: outputColumns(flags['output-cols'])}
    const [{issues}, {syncs}] = await Promise.all([callSync<IssuesReply>(this.config.root, 'issues'), callSync<ListReply>(this.config.root, 'list')])
    const syncOf = (issue: SyncIssue) => syncs.find((sync) => sync.id === issue.syncId)

    if (!flags.detail) {
      if (issues.length === 0) this.out('There are no sync issues')
      else this.outLines(issueTableLines(issues, syncs, layout))
      return {issues}
    }
    if (args.id !== undefined) {
      const issue = issues.find((i) => i.id === args.id)
      if (!issue) throw new NotFoundError(`Sync issue "${args.id}" does not exist`)
      this.outLines(issueDetailLines(issue, syncOf(issue), layout))
      return {issues: [issue]}
    }
    // --all: MEGAcmd's blocks, two blank lines apart; the limit applies to the paths of each.
    const lines: string[] = []
    for (const [index, issue] of issues.entries()) {
      if (index > 0) lines.push('', '')
      lines.push(`[Details on issue ${issue.id}]`, ...issueDetailLines(issue, syncOf(issue), layout))
    }
    this.outLines(lines)
    return {issues}
  }
}
