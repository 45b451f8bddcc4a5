import {Flags} from '@oclif/core'
import {ArgumentFailures, askText, canPrompt, deleteNode, failedTo, type MegaNode, MegaCommand, NodeType, UsageError, usePcreFlag} from '@mega-shell/core'
import {outermost, removalTargets} from '../../removing/removal-targets.js'

export interface RmResult {
  deleted: string[]
}

export default class Rm extends MegaCommand<RmResult> {
  static override summary = 'Delete remote files and folders permanently'
  static override description = `Like MEGAcmd, rm deletes for good (it does not use the Rubbish Bin: "mv x //bin" does).
Folders need -r, and without -f each folder is confirmed on a terminal; with no terminal, -f is required.
A path that cannot be deleted is reported and the others are still deleted; the exit code is the last failure's.`
  static override aliases = ['rm']
  static override strict = false
  static override examples = ['<%= config.bin %> rm /a/old.txt', '<%= config.bin %> rm -r -f /a/b', `<%= config.bin %> rm -rf '//bin/*'`]
  static override flags = {
    recursive: Flags.boolean({char: 'r', description: 'delete folders and their contents'}),
    force: Flags.boolean({char: 'f', description: 'do not ask for confirmation'}),
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<RmResult> {
    const {argv, flags} = await this.parse(Rm)
    const paths = argv as string[]
    if (paths.length === 0) throw new UsageError('Usage: rm [-r] [-f] remotepath...')
    await this.context.ready()
    const resolver = this.resolver()
    // As MEGAcmd's rm, a path that cannot be deleted is reported and the others are still deleted.
    const failures = new ArgumentFailures()
    const targets = removalTargets(resolver, paths, {recursive: flags.recursive, pcre: flags['use-pcre']}, failures)
    // MEGAcmd would ask on its stdin, and read a closed one for ever: without a terminal, -f is required.
    if (!flags.force && targets.some((n) => n.type === NodeType.FOLDER) && !canPrompt()) {
      throw new UsageError('Deleting a folder needs confirmation: use -f in non-interactive mode')
    }
    const confirmed: MegaNode[] = []
    let all = false
    for (const node of targets) {
      if (node.type === NodeType.FOLDER && !flags.force && !all) {
        const answer = (await askText(`Are you sure to delete ${node.name} ? (Yes/No/All/None):`, 'confirmation')).trim().toLowerCase()
        if (answer === 'none') break
        if (answer === 'all' || answer === 'a') all = true
        else if (answer !== 'yes' && answer !== 'y') continue
      }
      confirmed.push(node)
    }
    // Issued together, the deletions travel in one API batch.
    const roots = outermost(confirmed, this.context.nodes)
    const rootPaths = roots.map((node) => resolver.pathOf(node))
    const results = await Promise.allSettled(roots.map((node) => deleteNode(this.context, node)))
    const deleted: string[] = []
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') deleted.push(rootPaths[i])
      else failures.add(failedTo(`delete node ${rootPaths[i]}`, result.reason))
    }
    return this.settle({deleted}, failures)
  }
}
