import {ArgumentFailures, isRegExpPath, MegaArgs, MegaCommand, type MegaNode, NotFoundError, pathDisplaySizeFlag, printable, UsageError} from '@mega-shell/core'
import {type MediaInfo, mediaInfo} from '../../media/media-info.js'
import {MediaTable} from '../../media/media-table.js'
import {pathColumnWidth} from '../../usage/path-column.js'

export interface MediainfoResult {
  files: Array<{path: string} & MediaInfo>
}

export default class Mediainfo extends MegaCommand<MediainfoResult> {
  static override summary = 'Show the media information of remote files'
  static override description = `Width, height, frames per second and playing time of videos and pictures, as the client that uploaded them
recorded them in the file's encrypted media attributes; "---" where there is none. Paths may hold * and ? wildcards.`
  static override aliases = ['mediainfo']
  static override strict = false
  static override usage = 'mediainfo remotepath1 remotepath2 ... [--path-display-size=N]'
  static override examples = ['<%= config.bin %> mediainfo /videos/holiday.mp4', `<%= config.bin %> mediainfo '/videos/*'`]
  static override args = {path: MegaArgs.string({description: 'remote files'})}
  static override flags = {
    'path-display-size': pathDisplaySizeFlag,
  }

  async run(): Promise<MediainfoResult> {
    const {argv, flags} = await this.parse(Mediainfo)
    const paths = argv as string[]
    await this.context.ready()
    if (paths.length === 0) throw new UsageError('Usage: mediainfo remotepath1 remotepath2 ...')
    const resolver = this.resolver()
    const table = new MediaTable(pathColumnWidth(flags['path-display-size'], 'mediainfo'))
    const failures = new ArgumentFailures()
    const result: MediainfoResult = {files: []}
    const show = (node: MegaNode) => {
      const path = resolver.pathOf(node)
      const info = mediaInfo(node)
      if (result.files.length === 0) this.out(table.header())
      result.files.push({path, ...info})
      this.out(table.row(printable(path), info))
    }
    for (const path of paths) {
      if (isRegExpPath(path)) {
        const nodes = resolver.resolve(path)
        if (nodes.length === 0) failures.add(new NotFoundError(`Nodes not found: ${path}`))
        nodes.forEach(show)
      } else {
        const node = resolver.resolveOne(path)
        if (node) show(node)
        else failures.add(new NotFoundError(`Node not found: ${path}`))
      }
    }
    return this.settle(result, failures)
  }
}
