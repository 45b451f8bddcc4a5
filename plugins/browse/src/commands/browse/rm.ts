import {Flags} from '@oclif/core'
import {askText, canPrompt, CommandError, deleteNode, ExitCode, type MegaNode, MegaCommand, NodeType, NotFoundError, UsageError} from '@mega-shell/core'

export interface RmResult {
  deleted: string[]
}

export default class Rm extends MegaCommand<RmResult> {
  static override summary = 'Delete remote files and folders permanently'
  static override description = `Like MEGAcmd, rm deletes for good (it does not use the Rubbish Bin: "mv x //bin" does).
Folders need -r, and without -f each folder is confirmed on a terminal; with no terminal, -f is required.`
  static override aliases = ['rm']
  static override strict = false
  static override examples = ['<%= config.bin %> rm /a/old.txt', '<%= config.bin %> rm -r -f /a/b', `<%= config.bin %> rm -rf '//bin/*'`]
  static override flags = {
    recursive: Flags.boolean({char: 'r', description: 'delete folders and their contents'}),
    force: Flags.boolean({char: 'f', description: 'do not ask for confirmation'}),
  }

  async run(): Promise<RmResult> {
    const {argv, flags} = await this.parse(Rm)
    const paths = argv as string[]
    if (paths.length === 0) throw new UsageError('Usage: rm [-r] [-f] remotepath...')
    await this.context.ready()
    const resolver = this.resolver()
    const targets: MegaNode[] = []
    for (const path of paths) {
      const nodes = resolver.resolve(path)
      if (nodes.length === 0) throw new NotFoundError(`${path}: No such file or directory`)
      for (const node of nodes) {
        if (node.type !== NodeType.FILE && node.type !== NodeType.FOLDER) throw new CommandError(`Cannot delete a root folder: ${path}`, ExitCode.NOTPERMITTED)
        if (node.type === NodeType.FOLDER && !flags.recursive) {
          throw new CommandError(`Unable to delete folder: ${resolver.pathOf(node)}. Use -r to delete a folder recursively`, ExitCode.INVALIDTYPE)
        }
        targets.push(node)
      }
    }
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
    // Issued together, the deletions travel in one API batch; a node inside another one deleted is skipped.
    const handles = new Set(confirmed.map((n) => n.handle))
    const roots = confirmed.filter((node) => !this.hasAncestorIn(node, handles))
    const deleted = roots.map((node) => resolver.pathOf(node))
    const results = await Promise.allSettled(roots.map((node) => deleteNode(this.context, node)))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
    return {deleted}
  }

  private hasAncestorIn(node: MegaNode, handles: Set<string>): boolean {
    for (let parent = node.parent; parent; parent = this.context.nodes.get(parent)?.parent ?? null) {
      if (handles.has(parent)) return true
    }
    return false
  }
}
