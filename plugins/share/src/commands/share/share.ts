import {Flags} from '@oclif/core'
import {ArgumentFailures, CommandError, displayCwd, displayPath, ExitCode, failedTo, MegaCommand, MegaError, type MegaNode, NodeType, NotFoundError, type OutShare, outShareLine, type PathResolver, printable, shareAccessText, type ShareAccess, shareFolder, stopSharing, treeOwner, UsageError} from '@mega-shell/core'
import {sharedFolders, shareEmail, sharesOf} from '../../sharing/out-shares.js'
import {parseShareLevel, STOP_SHARING} from '../../sharing/share-level.js'

export interface ShareEntry {
  path: string
  email: string
  access: string
  pending: boolean
}

export interface ShareResult {
  /** The shares listed (no -a or -d). */
  shares: ShareEntry[]
  /** Shares made or changed with -a. */
  added: ShareEntry[]
  /** Shares stopped with -d (or -a --level=-1). */
  stopped: Array<{path: string; email: string}>
}

export default class Share extends MegaCommand<ShareResult> {
  static override summary = 'Share folders with other users, stop sharing them, or list the shares'
  static override description = `Without -a or -d, lists the shares of the folders at or below each path (default: the cwd), with -p the pending
ones too: "<path>, shared with <email> (<access>)". -a --with=<email> shares a folder or changes the access of a
share (--level: 0 or READ, default; 1 or READWRITE; 2 or FULL); with someone who is not a contact the share
waits for them to accept the invitation sent to them ("shared (still pending)"). -d --with=<email> stops one
share, -d alone every share of the folder. Folders shared with you are listed by "mount" and reached as
<email>:<folder>.`
  static override aliases = ['share']
  static override strict = false
  static override examples = [
    '<%= config.bin %> share -a --with=bob@example.com --level=1 /photos',
    '<%= config.bin %> share -d --with=bob@example.com /photos',
    '<%= config.bin %> share -p /',
  ]
  static override flags = {
    add: Flags.boolean({char: 'a', description: 'share (or change the access of a share)'}),
    delete: Flags.boolean({char: 'd', description: 'stop sharing (with --with: one user; without: everyone)'}),
    pending: Flags.boolean({char: 'p', description: 'list pending shares too'}),
    with: Flags.string({description: 'the email of the user to share with, or to stop sharing with'}),
    level: Flags.string({description: 'access: 0 read (default), 1 read/write, 2 full (READ, READWRITE, FULL)'}),
    'personal-representation': Flags.string({description: 'accepted for MEGAcmd compatibility; unused', hidden: true}),
    'time-format': Flags.string({description: 'accepted for MEGAcmd compatibility; unused', hidden: true}),
  }

  async run(): Promise<ShareResult> {
    const {argv, flags} = await this.parse(Share)
    const ctx = this.context
    await ctx.readyAccount()
    // megacmdexecuter.cpp "share": these checks come before any path is looked at.
    if (flags.add && !flags.with) throw new UsageError(' Required --with=user')
    const level = flags.level === undefined ? undefined : parseShareLevel(flags.level)
    const resolver = this.resolver()
    const result: ShareResult = {shares: [], added: [], stopped: []}
    const failures = new ArgumentFailures()
    const paths = argv.length > 0 ? (argv as string[]) : ['.']
    for (const path of paths) {
      const nodes = resolver.resolve(path)
      if (nodes.length === 0) {
        failures.add(new NotFoundError(path.includes('@') ? `Could not find ${path}. Use --with=${path} to specify the user to share with` : `Node not found: ${path}`))
        continue
      }
      for (const node of nodes) {
        try {
          if (flags.add) await this.add(node, resolver.pathOf(node), flags.with!, level ?? 0, result)
          else if (flags.delete) await this.stop(node, resolver.pathOf(node), flags.with, result)
          else if (level !== undefined || flags.with !== undefined) throw new UsageError('Unexpected option received. To create/modify a share use -a')
          else this.list(node, path, flags.pending, resolver, result)
        } catch (error) {
          failures.add(error)
        }
      }
    }
    return this.settle(result, failures)
  }

  private async add(node: MegaNode, path: string, email: string, level: number, result: ShareResult): Promise<void> {
    const ctx = this.context
    if (node.type === NodeType.FILE) {
      throw new CommandError(`Cannot share file: ${node.name}. Only folders allowed. You can send file to user's inbox with cp (see "cp --help")`, ExitCode.INVALIDTYPE)
    }
    if (level === STOP_SHARING) return this.stop(node, path, email, result)
    if (treeOwner(ctx, node) !== undefined) throw new CommandError(`Access denied: only the owner of ${path} can share it`, ExitCode.NOTPERMITTED)
    // The cloud root, the vault and the rubbish bin: the server refuses them (EACCESS).
    if (node.type !== NodeType.FOLDER) throw failedTo('share node', new MegaError(-11))
    // The SDK refuses an address without '@' (MegaApiImpl::share → EARGS); sharing with oneself has no meaning.
    if (!email.includes('@')) throw failedTo('share node', new MegaError(-2))
    if (email.toLowerCase() === ctx.requireSession().email.toLowerCase()) throw new MegaError(-2, 'Failed to share node: a folder cannot be shared with yourself')
    let pending: boolean
    try {
      ;({pending} = await shareFolder(ctx, node, email, level as ShareAccess))
    } catch (error) {
      throw failedTo('share node', error)
    }
    this.out(`New share: ${printable(outShareLine(path, email, level, pending))}`)
    result.added.push({path, email, access: shareAccessText(level), pending})
  }

  /** Stops the share with `email`, or without one every share of the folder (megacmdexecuter.cpp disableShare). */
  private async stop(node: MegaNode, path: string, email: string | undefined, result: ShareResult): Promise<void> {
    const ctx = this.context
    const shares = email === undefined ? sharesOf(ctx, node, true) : [this.shareWith(node, email)]
    for (const share of shares) {
      const whom = email ?? shareEmail(ctx, share)
      try {
        await stopSharing(ctx, node, share, whom)
      } catch (error) {
        throw failedTo('disable share', error)
      }
      this.out(`Stopped sharing ${printable(path)} with ${printable(whom)}`)
      result.stopped.push({path, email: whom})
    }
  }

  /** The folder's share with `email`; none is what the server would answer (ENOENT), said before asking it. */
  private shareWith(node: MegaNode, email: string): OutShare {
    const share = sharesOf(this.context, node, true).find((s) => shareEmail(this.context, s).toLowerCase() === email.toLowerCase())
    if (!share) throw failedTo('disable share', new MegaError(-9))
    return share
  }

  private list(start: MegaNode, given: string, pending: boolean, resolver: PathResolver, result: ShareResult): void {
    const ctx = this.context
    const cwd = displayCwd(resolver, ctx.nodes)
    for (const folder of sharedFolders(ctx, start, pending)) {
      const path = displayPath(given, resolver.pathOf(folder), cwd)
      for (const share of sharesOf(ctx, folder, pending)) {
        const email = shareEmail(ctx, share)
        this.out(printable(outShareLine(path, email, share.access, share.pending)))
        result.shares.push({path, email, access: shareAccessText(share.access), pending: share.pending})
      }
    }
  }
}
