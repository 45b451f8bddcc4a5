import {stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {
  askSecret, canPrompt, CommandError, downloadNode, type DownloadTarget, exceedsTransferQuota, type NewTransfer, downloadPublicFile, ExitCode, failedTo, isProtectedLink, type LocalRename, localFileMatches,
  localSlot, looksLikeLink, MegaArgs, MegaCommand, type MegaContext, type MegaNode, NodeType, NotFoundError, openPublicFile, openPublicLink, PathResolver, printable,
  type PublicLink, remoteSize, type RenameReason, resolveApiUrl, targetPath, UsageError, usePcreFlag, withPublicFolder,
} from '@mega-shell/core'
import {downloadTarget, mergeTarget} from '../../planning/get-destination.js'
import {ProgressBar} from '../../progress/progress-bar.js'
import {callQueue, type EnqueueReply} from '../../queue/queue-protocol.js'

export interface GetResult {
  downloaded: Array<{remote: string; local: string; skipped: boolean}>
  /** Items saved under another name, because their remote name cannot exist locally. */
  renamed: Array<{remote: string; local: string; reason: RenameReason}>
  /** With -q: the transfers handed to the background server's queue, by tag. */
  queued?: Array<{tag: number; remote: string; local: string}>
}

export default class Get extends MegaCommand<GetResult> {
  static override summary = 'Download files and folders, or public file and folder links'
  static override description = `Downloads into the local folder (default: the current directory), or to the given file name.
A folder is created inside the destination folder. Data is verified against its MAC before it appears
under its final name; an identical existing file is skipped, a different one kept (the new file becomes "name (1).ext").
Prints "Download finished: <local path>" for each item. A remote name that cannot be a local one is changed
and reported on stderr ("Saved <remote> as <local>: <reason>"): one longer than 255 bytes is shortened
(keeping its extension), '/', '\\' and NUL become '_', and a folder whose name a local file holds becomes "name (1)".
Public links need no login: file links, folder links (the whole tree, or the /folder/<h> or /file/<h> inside one),
in the current (/file/, /folder/) and the old (#!, #F!) forms; a password-protected link (#P!) needs --password.
With -m a folder merges into the local folder given (created if missing) instead of arriving inside it.
With -q the downloads are handed to the background server's queue and the command returns at once: see and
steer them with "transfers"; they survive a server restart and resume where they were. Links cannot be queued.`
  static override aliases = ['get']
  static override examples = [
    '<%= config.bin %> get /a/b/photos ./restore',
    '<%= config.bin %> get -m /a/b/photos ./photos',
    '<%= config.bin %> get -q --print-tag-at-start /a/b/big.iso .',
    '<%= config.bin %> get "https://mega.nz/file/<handle>#<key>" .',
    '<%= config.bin %> get "https://mega.nz/folder/<handle>#<key>" ./restore',
    `<%= config.bin %> get 'https://mega.nz/#P!<data>' --password=secret .`,
  ]
  static override args = {
    source: MegaArgs.string({description: 'remote path (wildcards allowed), or public file or folder link'}),
    localpath: MegaArgs.string({description: 'local folder or file name (default: current directory)'}),
  }
  static override flags = {
    connections: Flags.integer({description: 'parallel connections per file', min: 1, max: 32}),
    password: Flags.string({description: 'password of a password-protected link (#P!)'}),
    merge: Flags.boolean({char: 'm', description: 'merge a folder into the local folder given, rather than creating it inside'}),
    queue: Flags.boolean({char: 'q', description: 'queue in the background server and return at once (see transfers)'}),
    'print-tag-at-start': Flags.boolean({description: 'print "Download started: Tag = <tag>. Source = <path>" for each transfer'}),
    'ignore-quota-warn': Flags.boolean({description: 'start even when the transfer quota is used up'}),
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<GetResult> {
    const {args, flags} = await this.parse(Get)
    if (!args.source) throw new UsageError('Usage: get [-m] [-q] [--print-tag-at-start] exportedlink|remotepath [localpath]')
    const dest = resolve(args.localpath ?? '.')
    if (looksLikeLink(args.source)) {
      if (flags.queue) throw new UsageError('Links cannot be queued (-q): run get without -q, or import the link and queue its copy')
      return this.getLink(args.source, dest, flags)
    }
    await this.context.ready()
    const resolver = this.resolver()
    const nodes = resolver.resolve(args.source, {pcre: flags['use-pcre']})
    if (nodes.length === 0) throw new NotFoundError(`Couldn't find ${args.source}`)
    if (nodes.length > 1 && !(await stat(dest).catch(() => undefined))?.isDirectory()) throw new CommandError(`${dest} is not a valid Download Folder (several items match ${args.source})`, ExitCode.INVALIDTYPE)
    const items = nodes.map((node) => ({node, remote: resolver.pathOf(node)}))
    // MEGAcmd asks before it starts (megacmdexecuter.cpp downloadNode, queryTransferQuota), and says so on stdout
    // with exit 0; here it is an error, so that a script sees it.
    const total = items.reduce((sum, {node}) => sum + remoteSize(this.context, node), 0)
    if (!flags['ignore-quota-warn'] && (await exceedsTransferQuota(this.context.api, total))) {
      throw new CommandError('Transfer not started: proceding will exceed transfer quota. Use --ignore-quota-warn to initiate nevertheless', 17)
    }
    if (flags.queue) return this.enqueue(items, dest, flags)
    return this.download(this.context, items, dest, (node) => resolver.pathOf(node), flags)
  }

  /** -q: each item's local target is checked (and a folder made) now; the server's queue downloads into it. */
  private async enqueue(items: Array<{node: MegaNode; remote: string}>, dest: string, flags: {merge: boolean; 'print-tag-at-start': boolean}): Promise<GetResult> {
    const account = this.context.requireSession().userHandle
    const transfers: NewTransfer[] = []
    for (const {node, remote} of items) {
      const target = await this.targetOf(node, dest, flags.merge)
      const local = 'into' in target ? join(target.into, node.name) : target.path
      transfers.push({direction: 'download' as const, source: remote, destination: local, bytesTotal: remoteSize(this.context, node), account, job: {handle: node.handle, target}})
    }
    const {tags} = await callQueue<EnqueueReply>(this.config.root, 'enqueue', {transfers})
    const queued = tags.map((tag, i) => ({tag, remote: transfers[i].source, local: transfers[i].destination}))
    if (flags['print-tag-at-start']) for (const {tag, remote} of queued) this.out(`Download started: Tag = ${tag}. Source = ${printable(remote)}`)
    return {downloaded: [], renamed: [], queued}
  }

  private targetOf(node: MegaNode, dest: string, merge: boolean): Promise<DownloadTarget> {
    const isFolder = node.type !== NodeType.FILE
    return merge && isFolder ? mergeTarget(dest) : downloadTarget(dest, isFolder)
  }

  /**
   * Downloads nodes of `ctx` (the account's, or a folder link's) into `dest`, one "Download finished" line each;
   * `pathOf` names a renamed node (at any depth) in its "Saved <remote> as <local>" line.
   */
  private async download(ctx: MegaContext, items: Array<{node: MegaNode; remote: string}>, dest: string, pathOf: (node: MegaNode) => string, {connections, merge = false}: {connections?: number; merge?: boolean}): Promise<GetResult> {
    const bar = new ProgressBar(items.reduce((sum, {node}) => sum + remoteSize(ctx, node), 0), !this.jsonEnabled())
    const result: GetResult = {downloaded: [], renamed: []}
    const onRename = ({node, local, reason}: LocalRename) => result.renamed.push({remote: pathOf(node), local, reason})
    try {
      for (const {node, remote} of items) {
        const target = await this.targetOf(node, dest, merge)
        const {path: local, skipped} = await downloadNode(ctx, node, target, {connections, signal: this.interrupt, onRename, onProgress: (file, p) => bar.update(file, p)})
        bar.finish()
        result.downloaded.push({remote, local, skipped})
        this.out(`Download finished: ${printable(local)}`)
      }
    } finally {
      bar.finish()
      this.reportRenames(result)
    }
    return result
  }

  /** One line on stderr per renamed item (in --json, the result's `renamed` says it). */
  private reportRenames({renamed}: GetResult): void {
    if (this.jsonEnabled()) return
    for (const {remote, local, reason} of renamed) this.warn(`Saved ${remote} as ${local}: ${reason}`)
  }

  /**
   * A public link, without login (MEGAcmd "get": getPublicNode for a file link, a folder SDK logged into the link
   * for a folder link). A protected link's password comes from --password, or is asked for on a terminal.
   */
  private async getLink(text: string, dest: string, flags: {connections?: number; password?: string; merge: boolean}): Promise<GetResult> {
    const password = flags.password ?? (isProtectedLink(text) && canPrompt() ? await askSecret('Enter password:', 'password') : undefined)
    const link = openPublicLink(text, password)
    const apiUrl = resolveApiUrl(this.context.session?.apiUrl)
    if (link.type === 'folder') {
      // Inside a folder link, paths start at the exported folder, as after `login <folder link>`.
      return withPublicFolder(apiUrl, link, ({ctx, node}) => {
        const inLink = new PathResolver(ctx.nodes, {root: ctx.root()}, ctx.root())
        return this.download(ctx, [{node, remote: text}], dest, (inner) => inLink.pathOf(inner), flags)
      })
    }
    return this.getFileLink(apiUrl, link, text, dest, flags.connections)
  }

  private async getFileLink(apiUrl: string, link: PublicLink, text: string, dest: string, connections?: number): Promise<GetResult> {
    const info = await openPublicFile(apiUrl, link).catch((error: unknown) => {
      throw failedTo('get public node', error)
    })
    const target = await downloadTarget(dest, false)
    const {path, reason} = targetPath(target, info.name)
    // As for any file, an identical local file is the download already done; a different one keeps its name.
    const {path: local, skipped} = await localSlot(path, (candidate) => localFileMatches(candidate, info))
    if (!skipped) {
      const bar = new ProgressBar(info.size, !this.jsonEnabled())
      try {
        await downloadPublicFile(info, local, {connections, signal: this.interrupt, onProgress: (p) => bar.update(local, p)})
      } finally {
        bar.finish()
      }
    }
    this.out(`Download finished: ${printable(local)}`)
    const result: GetResult = {downloaded: [{remote: text, local, skipped}], renamed: reason ? [{remote: info.name, local, reason}] : []}
    this.reportRenames(result)
    return result
  }
}
