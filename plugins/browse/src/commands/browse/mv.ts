import {CommandError, ExitCode, MegaCommand, NotFoundError, UsageError} from '@mega-shell/core'
import {planMoves} from '../../moving/move-plan.js'

export interface MvResult {
  moved: Array<{from: string; to: string}>
}

export default class Mv extends MegaCommand<MvResult> {
  static override summary = 'Move or rename remote files and folders'
  static override description = `Into an existing folder: moves there. To a new name in an existing folder: moves and renames.
Onto an existing file (one file source): replaces it.`
  static override aliases = ['mv']
  static override strict = false
  static override examples = ['<%= config.bin %> mv /a/notes.txt /b', '<%= config.bin %> mv /a/notes.txt /a/renamed.txt']

  async run(): Promise<MvResult> {
    const {argv} = await this.parse(Mv)
    const paths = argv as string[]
    if (paths.length < 2) throw new UsageError('Usage: mv srcremotepath [srcremotepath2 ...] dstremotepath')
    await this.context.ready()
    const resolver = this.resolver()
    const destination = paths[paths.length - 1]
    const sources = paths.slice(0, -1).map((path) => {
      const nodes = resolver.resolve(path)
      if (nodes.length === 0) throw new NotFoundError(`${path}: No such file or directory`)
      return nodes
    }).flat()
    const steps = planMoves(resolver, sources, destination)
    const moved: MvResult['moved'] = []
    for (const step of steps) {
      const from = resolver.pathOf(step.node)
      await step.run(this.context)
      const after = this.context.nodes.get(step.node.handle)
      moved.push({from, to: after ? resolver.pathOf(after) : destination})
    }
    if (moved.length === 0) throw new CommandError('Nothing to move', ExitCode.NOTFOUND)
    return {moved}
  }
}
