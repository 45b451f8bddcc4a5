import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {CommandError, downloadNode, ExitCode, downloadPublicFile, type LocalRename, localSlot, looksLikeLink, MegaArgs, MegaCommand, NodeType, NotFoundError, openPublicFile, parsePublicLink, printable, remoteSize, type RenameReason, resolveApiUrl, targetPath, UsageError, usePcreFlag} from '@mega-shell/core'
import {downloadTarget} from '../../planning/get-destination.js'
import {ProgressBar} from '../../progress/progress-bar.js'

export interface GetResult {
  downloaded: Array<{remote: string; local: string; skipped: boolean}>
  /** Items saved under another name, because their remote name cannot exist locally. */
  renamed: Array<{remote: string; local: string; reason: RenameReason}>
}

export default class Get extends MegaCommand<GetResult> {
  static override summary = 'Download files and folders (or a public file link)'
  static override description = `Downloads into the local folder (default: the current directory), or to the given file name.
A folder is created inside the destination folder. Data is verified against its MAC before it appears
under its final name; an identical existing file is skipped, a different one kept (the new file becomes "name (1).ext").
Prints "Download finished: <local path>" for each item. A remote name that cannot be a local one is changed
and reported on stderr ("Saved <remote> as <local>: <reason>"): one longer than 255 bytes is shortened
(keeping its extension), '/', '\\' and NUL become '_', and a folder whose name a local file holds becomes "name (1)".`
  static override aliases = ['get']
  static override examples = ['<%= config.bin %> get /a/b/photos ./restore', '<%= config.bin %> get "https://mega.nz/file/<handle>#<key>" .']
  static override args = {
    source: MegaArgs.string({description: 'remote path (wildcards allowed) or public file link'}),
    localpath: MegaArgs.string({description: 'local folder or file name (default: current directory)'}),
  }
  static override flags = {
    connections: Flags.integer({description: 'parallel connections per file', min: 1, max: 32}),
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<GetResult> {
    const {args, flags} = await this.parse(Get)
    if (!args.source) throw new UsageError('Usage: get exportedlink|remotepath [localpath]')
    const dest = resolve(args.localpath ?? '.')
    if (looksLikeLink(args.source)) return this.getLink(args.source, dest, flags.connections)
    await this.context.ready()
    const resolver = this.resolver()
    const nodes = resolver.resolve(args.source, {pcre: flags['use-pcre']})
    if (nodes.length === 0) throw new NotFoundError(`Couldn't find ${args.source}`)
    if (nodes.length > 1 && !(await stat(dest).catch(() => undefined))?.isDirectory()) throw new CommandError(`${dest} is not a valid Download Folder (several items match ${args.source})`, ExitCode.INVALIDTYPE)
    const bar = new ProgressBar(nodes.reduce((sum, n) => sum + remoteSize(this.context, n), 0), !this.jsonEnabled())
    const result: GetResult = {downloaded: [], renamed: []}
    const onRename = ({node, local, reason}: LocalRename) => result.renamed.push({remote: resolver.pathOf(node), local, reason})
    try {
      for (const node of nodes) {
        const target = await downloadTarget(dest, node.type !== NodeType.FILE)
        const {path: local, skipped} = await downloadNode(this.context, node, target, {connections: flags.connections, signal: this.interrupt, onRename, onProgress: (file, p) => bar.update(file, p)})
        bar.finish()
        result.downloaded.push({remote: resolver.pathOf(node), local, skipped})
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

  private async getLink(text: string, dest: string, connections?: number): Promise<GetResult> {
    const link = parsePublicLink(text)
    if (link.type === 'folder') throw new UsageError('Downloading folder links is not supported yet: log in to the link first')
    const info = await openPublicFile(resolveApiUrl(this.context.session?.apiUrl), link)
    const target = await downloadTarget(dest, false)
    const {path, reason} = targetPath(target, info.name)
    // A link's file is always fetched: an existing local file keeps its name and the download takes the next.
    const {path: local} = await localSlot(path, async () => false)
    const bar = new ProgressBar(info.size, !this.jsonEnabled())
    try {
      await downloadPublicFile(info, link, local, {connections, signal: this.interrupt, onProgress: (p) => bar.update(local, p)})
    } finally {
      bar.finish()
    }
    this.out(`Download finished: ${printable(local)}`)
    const result: GetResult = {downloaded: [{remote: text, local, skipped: false}], renamed: reason ? [{remote: info.name, local, reason}] : []}
    this.reportRenames(result)
    return result
  }
}
