import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {accessOf, askText, canPrompt, CommandError, ExitCode, MegaArgs, MegaCommand, NodeType, NotFoundError, ShareAccess, UsageError} from '@mega-shell/core'
import {columnFlags, outputColumns} from '../../format/column-flags.js'
import {planLines} from '../../format/plan-lines.js'
import {syncPair, syncTable} from '../../format/sync-table.js'
import {findSync} from '../../format/sync-target.js'
import {
  type ActReply, type ActRequest, type AddReply, type AddRequest, callSync, type ListReply, type PlannedAction, SYNC_MODES, type SyncListing, type SyncMode,
} from '../../service/sync-protocol.js'

export interface SyncResult {
  /** The listing (no argument). */
  syncs?: SyncListing[]
  /** The sync added, shown or acted on. */
  sync?: SyncListing
  /** --dry-run: what the pass would do. */
  plan?: PlannedAction[]
}

const USAGE = 'sync [localpath dstremotepath | [-dpe] [ID|localpath]] [--mode=MODE] [--max-delete=PERCENT] [--dry-run]'
const DEFAULT_MODE: SyncMode = 'two-way'
const DEFAULT_MAX_DELETE = 50

type Action = 'remove' | 'pause' | 'resume'
const PAST: Record<Action, string> = {remove: 'removed', pause: 'paused', resume: 'enabled'}

export default class Sync extends MegaCommand<SyncResult> {
  static override summary = 'Add, list, pause, resume or remove folder synchronisations'
  static override description = `Without arguments, lists the syncs of the background server with MEGAcmd's columns: ID, LOCALPATH,
REMOTEPATH, RUN_STATE (Pending, Loading, Running, Suspended), STATUS (NONE, Synced, Pending, Syncing,
Processing), ERROR (the sync's error, "Sync Issues (N)" when it has issues, else NO), SIZE, FILES and DIRS of the
remote folder; REMOTEHANDLE with --show-handles. When a sync has issues, a note on stderr says to run
"sync-issues".
With a local folder and a remote folder, adds a sync between them: the local folder must exist (relative paths are
relative to the current directory), the remote one must be a folder you have full access to (exit 53 when
either is missing, 55 for a file, 56 without full access); syncs cannot be nested in one another (54).
With an ID or a local path, shows that sync, or with -d removes it (its files stay on both sides), with -p pauses
it and with -e resumes it. One action at a time (51).
Beyond MEGAcmd:
  --mode chooses which way changes flow: two-way (the default, MEGAcmd's only kind), up or down (new and changed
  files and moves go one way, nothing is ever deleted on the receiving side), mirror-up or mirror-down (the
  receiving side is made identical to the other, its own changes overwritten, its extra files moved to debris).
  --max-delete=PERCENT (default 50): a pass that would delete more than this share of the synced files stops and
  raises a sync issue instead.
  --dry-run prints what the first pass of a new sync (or the next pass of an existing one) would do, one action per
  line ("upload a/b.txt", "move-remote a -> b", "conflict x.txt -> x (conflict …).txt"), and changes nothing.
  --mode and --max-delete with the ID of an existing sync change its settings.
  --output-cols can also name MODE, MAX_DELETE and WATCHING ("events", or "scanning" when the folder cannot be
  watched).
On a terminal, a local folder given without its remote folder is asked for.`
  static override aliases = ['sync']
  static override examples = [
    '<%= config.bin %> sync',
    '<%= config.bin %> sync ~/Documents /Documents',
    '<%= config.bin %> sync --mode=up --max-delete=10 ./photos /Backups/photos',
    '<%= config.bin %> sync --dry-run ./photos /Photos',
    '<%= config.bin %> sync -p WOOmFwZfQwM',
    '<%= config.bin %> sync -e ~/Documents',
    '<%= config.bin %> sync -d WOOmFwZfQwM',
    '<%= config.bin %> sync --max-delete=100 WOOmFwZfQwM',
    '<%= config.bin %> sync --output-cols=ID,LOCALPATH,MODE,STATUS --col-separator=,',
  ]
  static override args = {
    localpath: MegaArgs.string({description: 'local folder to sync, or the ID or local folder of an existing sync'}),
    remotepath: MegaArgs.string({description: 'remote folder to sync it with'}),
  }
  static override flags = {
    delete: Flags.boolean({char: 'd', aliases: ['remove'], description: 'remove the sync (ID or local path); its files stay. Also --remove'}),
    pause: Flags.boolean({char: 'p', aliases: ['disable'], charAliases: ['s'], description: 'pause the sync (ID or local path). Also -s, --disable'}),
    enable: Flags.boolean({char: 'e', aliases: ['resume'], charAliases: ['r'], description: 'resume a paused sync (ID or local path). Also -r, --resume'}),
    mode: Flags.string({options: [...SYNC_MODES], description: 'which way changes flow (default two-way); with an ID, changes that sync\'s mode'}),
    'max-delete': Flags.integer({min: 0, max: 100, description: 'stop a pass that would delete more than this percentage of the synced files (default 50)', helpValue: 'PERCENT'}),
    'dry-run': Flags.boolean({description: 'print what the (first) pass would do and change nothing'}),
    'show-handles': Flags.boolean({description: 'show the remote folder\'s handle (REMOTEHANDLE column, <H:handle>)'}),
    'path-display-size': Flags.integer({min: 0, description: 'use at least N characters for each path column', helpValue: 'N'}),
    ...columnFlags,
  }

  async run(): Promise<SyncResult> {
    const {args, flags} = await this.parse(Sync)
    const dryRun = Boolean(flags['dry-run'])
    const words = [args.localpath, args.remotepath].filter((word): word is string => word !== undefined)
    const actions = ([['delete', 'remove'], ['pause', 'pause'], ['enable', 'resume']] as const).filter(([flag]) => flags[flag]).map(([, action]) => action)
    if (actions.length > 1) throw new UsageError(`Only one action (pause, enable or delete) can be specified at a time. Usage: ${USAGE}`)
    const settings = {mode: flags.mode as SyncMode | undefined, maxDelete: flags['max-delete']}
    const setting = settings.mode !== undefined || settings.maxDelete !== undefined
    const show = (syncs: SyncListing[]) => this.showTable(syncs, flags)

    if (actions.length === 1) {
      if (words.length !== 1) throw new UsageError(`-d, -p and -e take one ID or local path. Usage: ${USAGE}`)
      if (setting || dryRun) throw new UsageError(`--mode, --max-delete and --dry-run do not go with -d, -p or -e. Usage: ${USAGE}`)
      return this.act(words[0], actions[0], show)
    }
    if (words.length === 2) return this.add(words[0], words[1], settings, dryRun)
    if (words.length === 0) {
      if (setting || dryRun) throw new UsageError(`--mode, --max-delete and --dry-run need a sync, or a local and a remote folder. Usage: ${USAGE}`)
      return this.list(show)
    }

    const {syncs} = await callSync<ListReply>(this.config.root, 'list')
    const sync = findSync(syncs, words[0])
    if (!sync) {
      // A local folder without its remote folder: asked for on a terminal (never without one).
      const local = resolve(words[0])
      if (canPrompt() && (await stat(local).catch(() => undefined))?.isDirectory()) {
        const remote = (await askText(`Remote folder to sync ${local} with:`, 'remote path')).trim()
        if (remote) return this.add(local, remote, settings, dryRun)
      }
      throw new NotFoundError(`Sync not found: ${words[0]}`)
    }
    if (dryRun) {
      if (setting) throw new UsageError('--dry-run shows the next pass with the sync\'s current settings: change --mode or --max-delete on their own')
      const reply = await this.callAct({target: sync.id, action: 'plan'})
      this.outLines(planLines(reply.plan ?? []))
      return {sync: reply.sync, plan: reply.plan ?? []}
    }
    if (setting) {
      const reply = await this.callAct({target: sync.id, action: 'set', ...settings})
      this.out(`Sync updated: ${syncPair(reply.sync)} (mode ${reply.sync.mode}, max-delete ${reply.sync.maxDelete}%)`)
      show([reply.sync])
      return {sync: reply.sync}
    }
    show([sync])
    return {sync}
  }

  private async list(show: (syncs: SyncListing[]) => void): Promise<SyncResult> {
    const {syncs} = await callSync<ListReply>(this.config.root, 'list')
    show(syncs)
    if (!this.jsonEnabled()) {
      // MEGAcmd: a blank line on stdout, then the note on stderr (or, without issues, the delayed uploads note).
      if (syncs.some((s) => s.issues > 0)) {
        this.out()
        process.stderr.write('You have sync issues. Use the "sync-issues" command to display them.\n')
      } else if (syncs.some((s) => s.uploadsDelayed)) {
        this.out()
        this.out('Some of your "Pending" sync uploads are being delayed due to very frequent changes. They will be uploaded once the delay finishes. Use the "sync-config" command to show the upload delay.')
      }
    }
    return {syncs}
  }

  private async act(word: string, action: Action, show: (syncs: SyncListing[]) => void): Promise<SyncResult> {
    const {syncs} = await callSync<ListReply>(this.config.root, 'list')
    const sync = findSync(syncs, word)
    if (!sync) throw new NotFoundError(`Sync not found: ${word}`)
    const reply = await this.callAct({target: sync.id, action})
    this.out(`Sync ${PAST[action]}: ${syncPair(reply.sync)}`)
    if (action !== 'remove') show([reply.sync])
    return {sync: reply.sync}
  }

  /**
   * MEGAcmd's checks before a sync is added (megacmdexecuter.cpp "sync", SyncCommand::addSync): an account, the
   * local folder, the remote folder, full access to it. The service then refuses nested syncs (54).
   */
  private async add(local: string, remote: string, settings: {mode?: SyncMode; maxDelete?: number}, dryRun: boolean): Promise<SyncResult> {
    const ctx = this.context
    ctx.requireSession()
    const localPath = resolve(local)
    const info = await stat(localPath).catch(() => undefined)
    if (!info) throw new NotFoundError(`Local directory ${localPath} does not exist`)
    if (!info.isDirectory()) throw new CommandError(`Local path ${localPath} is not a directory`, ExitCode.INVALIDTYPE)
    await ctx.ready()
    const resolver = this.resolver()
    const node = resolver.resolveOne(remote)
    if (!node) throw new NotFoundError(`Remote directory ${remote} does not exist`)
    if (node.type === NodeType.FILE) throw new CommandError(`Remote path ${remote} is not a folder`, ExitCode.INVALIDTYPE)
    const access = accessOf(ctx.nodes, ctx.shares, node)
    if (access < ShareAccess.FULL) throw new CommandError(`Syncing requires full access to path (current access: ${access})`, ExitCode.NOTPERMITTED)
    const request: AddRequest = {
      localPath, remoteHandle: node.handle, remotePath: resolver.pathOf(node), mode: settings.mode ?? DEFAULT_MODE, maxDelete: settings.maxDelete ?? DEFAULT_MAX_DELETE, dryRun,
    }
    const reply = await callSync<AddReply>(this.config.root, 'add', request)
    if (dryRun) {
      this.outLines(planLines(reply.plan ?? []))
      return {plan: reply.plan ?? []}
    }
    if (!reply.sync) throw new CommandError(`Failed to sync ${localPath} to ${request.remotePath}`, ExitCode.EUNEXPECTED)
    this.out(`Added sync: ${syncPair(reply.sync)}`)
    if (reply.sync.error) this.warn(`Sync added as temporarily disabled. Reason: ${reply.sync.error}`)
    return {sync: reply.sync}
  }

  private callAct(request: ActRequest): Promise<ActReply> {
    return callSync<ActReply>(this.config.root, 'act', request)
  }

  private showTable(syncs: SyncListing[], flags: {'show-handles': boolean; 'path-display-size'?: number; 'col-separator'?: string; 'output-cols'?: string}): void {
    if (this.jsonEnabled()) return
    const text = syncTable(syncs, {
      showHandles: Boolean(flags['show-handles']), pathDisplaySize: flags['path-display-size'], separator: flags['col-separator'], columns: outputColumns(flags['output-cols']),
    })
    if (text) this.outLines(text.split('\n').slice(0, -1))
  }
}
