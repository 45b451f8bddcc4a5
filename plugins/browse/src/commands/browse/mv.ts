import {ArgumentFailures, MegaCommand, NotFoundError, UsageError, usePcreFlag} from '@mega-shell/core'
import {isFolderDestination, notAFolder, planMove} from '../../moving/move-plan.js'

export interface MvResult {
  moved: Array<{from: string; to: string}>
}

export default class Mv extends MegaCommand<MvResult> {
  static override summary = 'Move or rename remote files and folders'
  static override description = `Into an existing folder: moves there. To a new name in an existing folder: moves and renames.
Onto an existing file (one file source): replaces it. A source that cannot be moved is reported and the others
are still moved; the exit code is the last failure's (as MEGAcmd).`
  static override aliases = ['mv']
  static override strict = false
  static override examples = ['<%= config.bin %> mv /a/notes.txt /b', '<%= config.bin %> mv /a/notes.txt /a/renamed.txt']
  static override flags = {
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<MvResult> {
    const {argv, flags} = await this.parse(Mv)
    const paths = argv as string[]
    if (paths.length < 2) throw new UsageError('Usage: mv srcremotepath [srcremotepath2 ...] dstremotepath')
    await this.context.ready()
    const resolver = this.resolver()
    const destination = paths[paths.length - 1]
    const sources = paths.slice(0, -1)
    // megacmdexecuter.cpp "mv": several sources need a folder, checked before anything moves.
    if (sources.length > 1 && !isFolderDestination(resolver, destination)) throw notAFolder(destination)
    const failures = new ArgumentFailures()
    const moved: MvResult['moved'] = []
    for (const source of sources) {
      const nodes = resolver.resolve(source, {pcre: flags['use-pcre']})
      if (nodes.length === 0) {
        failures.add(new NotFoundError(`${source}: No such file or directory`))
        continue
      }
      if (nodes.length > 1 && !isFolderDestination(resolver, destination)) {
        failures.add(notAFolder(destination))
        continue
      }
      for (const node of nodes) {
        try {
          const step = planMove(resolver, node, destination)
          if ('notice' in step) {
            this.warn(step.notice)
            continue
          }
          const from = resolver.pathOf(node)
          await step.run(this.context)
          const after = this.context.nodes.get(node.handle)
          moved.push({from, to: after ? resolver.pathOf(after) : destination})
        } catch (error) {
          failures.add(error)
        }
      }
    }
    return this.settle({moved}, failures)
  }
}
