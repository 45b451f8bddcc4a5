import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {CommandError, downloadNode, ExitCode, downloadPublicFile, localSlot, looksLikeLink, MegaArgs, MegaCommand, NodeType, NotFoundError, openPublicFile, parsePublicLink, remoteSize, resolveApiUrl, UsageError} from '@mega-shell/core'
import {downloadTarget} from '../../planning/get-destination.js'
import {ProgressBar} from '../../progress/progress-bar.js'

export interface GetResult {
  downloaded: Array<{remote: string; local: string; skipped: boolean}>
}

export default class Get extends MegaCommand<GetResult> {
  static override summary = 'Download files and folders (or a public file link)'
  static override description = `Downloads into the local folder (default: the current directory), or to the given file name.
A folder is created inside the destination folder. Data is verified against its MAC before it appears
under its final name; an identical existing file is skipped, a different one kept (the new file becomes "name (1).ext").
Prints "Download finished: <local path>" for each item.`
  static override aliases = ['get']
  static override examples = ['<%= config.bin %> get /a/b/photos ./restore', '<%= config.bin %> get "https://mega.nz/file/<handle>#<key>" .']
  static override args = {
    source: MegaArgs.string({description: 'remote path (wildcards allowed) or public file link'}),
    localpath: MegaArgs.string({description: 'local folder or file name (default: current directory)'}),
  }
  static override flags = {
    connections: Flags.integer({description: 'parallel connections per file', min: 1, max: 32}),
  }

  async run(): Promise<GetResult> {
    const {args, flags} = await this.parse(Get)
    if (!args.source) throw new UsageError('Usage: get exportedlink|remotepath [localpath]')
    const dest = resolve(args.localpath ?? '.')
    if (looksLikeLink(args.source)) return this.getLink(args.source, dest, flags.connections)
    await this.context.ready()
    const resolver = this.resolver()
    const nodes = resolver.resolve(args.source)
    if (nodes.length === 0) throw new NotFoundError(`Couldn't find ${args.source}`)
    if (nodes.length > 1 && !(await stat(dest).catch(() => undefined))?.isDirectory()) throw new CommandError(`${dest} is not a valid Download Folder (several items match ${args.source})`, ExitCode.INVALIDTYPE)
    const bar = new ProgressBar(nodes.reduce((sum, n) => sum + remoteSize(this.context, n), 0), !this.jsonEnabled())
    const downloaded: GetResult['downloaded'] = []
    try {
      for (const node of nodes) {
        const isFolder = node.type !== NodeType.FILE
        const target = await downloadTarget(dest, node.name, isFolder)
        const {path: local, skipped} = await downloadNode(this.context, node, target, {connections: flags.connections, signal: this.interrupt, onProgress: (file, p) => bar.update(file, p)})
        bar.finish()
        downloaded.push({remote: resolver.pathOf(node), local, skipped})
        this.out(`Download finished: ${local}`)
      }
    } finally {
      bar.finish()
    }
    return {downloaded}
  }

  private async getLink(text: string, dest: string, connections?: number): Promise<GetResult> {
    const link = parsePublicLink(text)
    if (link.type === 'folder') throw new UsageError('Downloading folder links is not supported yet: log in to the link first')
    const info = await openPublicFile(resolveApiUrl(this.context.session?.apiUrl), link)
    // A link's file is always fetched: an existing local file keeps its name and the download takes the next.
    const {path: local} = await localSlot(await downloadTarget(dest, info.name, false), async () => false)
    const bar = new ProgressBar(info.size, !this.jsonEnabled())
    try {
      await downloadPublicFile(info, link, local, {connections, signal: this.interrupt, onProgress: (p) => bar.update(local, p)})
    } finally {
      bar.finish()
    }
    this.out(`Download finished: ${local}`)
    return {downloaded: [{remote: text, local, skipped: false}]}
  }
}
