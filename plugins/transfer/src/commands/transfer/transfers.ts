import {Flags} from '@oclif/core'
import {ArgumentFailures, MegaCommand, NotFoundError, type TransferDirection, type TransferRecord, UsageError} from '@mega-shell/core'
import {transferTable} from '../../queue/transfer-table.js'
import {type ActReply, callQueue, type ListReply, type QueueAction} from '../../queue/queue-protocol.js'

export interface TransfersResult {
  transfers?: TransferRecord[]
  /** After -c/-p/-r: each tag and whether it was found among the pending transfers. */
  results?: ActReply['results']
}

const ACTION_FLAGS = {c: 'cancel', p: 'pause', r: 'resume'} as const satisfies Record<string, QueueAction>
const PAST: Record<QueueAction, string> = {cancel: 'cancelled', pause: 'paused', resume: 'resumed'}

export default class Transfers extends MegaCommand<TransfersResult> {
  static override summary = 'List, pause, resume or cancel the background server\'s queued transfers'
  static override description = `Lists the transfers queued with "put -q" and "get -q" (at most --limit, 10 by default: about half
downloads, then uploads), with MEGAcmd's columns TYPE (⇓ download, ⇑ upload), TAG, SOURCEPATH, DESTINYPATH,
PROGRESS and STATE (QUEUED, ACTIVE, PAUSED, COMPLETED, CANCELLED, FAILED). Finished ones show with
--show-completed or --only-completed. -c, -p and -r cancel, pause and resume the transfers whose tags follow,
or all with -a (of one direction with --only-downloads or --only-uploads). A tag not among the pending
transfers is "Could not find transfer with tag: <tag>" (exit 53), after the other tags were acted on.
The queue survives the server: a paused transfer stays paused, an interrupted one resumes at the next start.`
  static override aliases = ['transfers']
  static override strict = false
  static override examples = [
    '<%= config.bin %> transfers',
    '<%= config.bin %> transfers -p 12 13',
    '<%= config.bin %> transfers -r -a --only-uploads',
    '<%= config.bin %> transfers --show-completed --col-separator=,',
  ]
  static override flags = {
    c: Flags.boolean({char: 'c', description: 'cancel the transfers with the given tags (or all with -a)', exclusive: ['p', 'r']}),
    p: Flags.boolean({char: 'p', description: 'pause the transfers with the given tags (or all with -a)', exclusive: ['c', 'r']}),
    r: Flags.boolean({char: 'r', description: 'resume the transfers with the given tags (or all with -a)', exclusive: ['c', 'p']}),
    all: Flags.boolean({char: 'a', description: 'with -c, -p or -r: every pending transfer'}),
    'only-downloads': Flags.boolean({description: 'show or act on downloads only', exclusive: ['only-uploads']}),
    'only-uploads': Flags.boolean({description: 'show or act on uploads only', exclusive: ['only-downloads']}),
    'show-completed': Flags.boolean({description: 'also show finished transfers (completed, cancelled, failed)'}),
    'only-completed': Flags.boolean({description: 'show only finished transfers'}),
    'show-syncs': Flags.boolean({description: 'also show the transfers of syncs (accepted; syncs have no queued transfers yet)'}),
    summary: Flags.boolean({description: 'one line of totals per direction'}),
    limit: Flags.integer({description: 'show at most this many transfers', min: 0}),
    'path-display-size': Flags.integer({description: 'least width of the path columns', min: 0}),
    'col-separator': Flags.string({description: 'separate the columns with this text instead of aligning them'}),
    'output-cols': Flags.string({description: 'comma-separated columns to show, in this order (TYPE,TAG,SOURCEPATH,DESTINYPATH,PROGRESS,STATE)'}),
  }

  async run(): Promise<TransfersResult> {
    const {argv, flags} = await this.parse(Transfers)
    const tags = (argv as string[]).map((word) => {
      if (!/^\d+$/.test(word)) throw new UsageError(`Invalid transfer tag: ${word}`)
      return Number(word)
    })
    const direction: TransferDirection | undefined = flags['only-downloads'] ? 'download' : flags['only-uploads'] ? 'upload' : undefined
    const action = (Object.keys(ACTION_FLAGS) as Array<keyof typeof ACTION_FLAGS>).find((flag) => flags[flag])
    if (action) return this.act(ACTION_FLAGS[action], tags, flags.all, direction)
    if (tags.length > 0 || flags.all) throw new UsageError('Usage: transfers [-c TAG|-a] | [-r TAG|-a] | [-p TAG|-a] [--only-downloads | --only-uploads] [SHOWOPTIONS]')
    const {transfers} = await callQueue<ListReply>(this.config.root, 'list')
    const shown = transfers.filter((t) => !direction || t.direction === direction)
    if (!this.jsonEnabled()) {
      this.outLines(transferTable(shown, {
        limit: flags.limit ?? 10, showCompleted: flags['show-completed'], onlyCompleted: flags['only-completed'], summary: flags.summary,
        pathDisplaySize: flags['path-display-size'], separator: flags['col-separator'], columns: flags['output-cols']?.split(','),
      }).split('\n').slice(0, -1))
    }
    return {transfers: shown}
  }

  private async act(action: QueueAction, tags: number[], all: boolean, direction: TransferDirection | undefined): Promise<TransfersResult> {
    if (tags.length === 0 && !all) throw new UsageError(`Usage: transfers -${action[0]} TAG… | -${action[0]} -a [--only-downloads | --only-uploads]`)
    const {results} = await callQueue<ActReply>(this.config.root, 'act', {action, tags, all, direction})
    // MEGAcmd's lines: per direction with -a (it acts on both queues in turn), per tag otherwise.
    if (all) for (const name of direction ? [direction] : (['download', 'upload'] as const)) this.out(`${name === 'download' ? 'Download' : 'Upload'} transfers ${PAST[action]} successfully.`)
    const failures = new ArgumentFailures()
    for (const {tag, found} of results) {
      if (!found) failures.add(new NotFoundError(`Could not find transfer with tag: ${tag}`))
      else if (!all) this.out(`Transfer ${tag} ${PAST[action]} successfully.`)
    }
    return this.settle({results}, failures)
  }
}
