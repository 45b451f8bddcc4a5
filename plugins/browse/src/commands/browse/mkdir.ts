import {Flags} from '@oclif/core'
import {CommandError, createFolderPath, ExitCode, MegaCommand, NodeType, UsageError, withTreeWriteLock} from '@mega-shell/core'

export interface MkdirResult {
  created: string[]
}

export default class Mkdir extends MegaCommand<MkdirResult> {
  static override summary = 'Create remote folders'
  static override aliases = ['mkdir']
  static override strict = false
  static override examples = ['<%= config.bin %> mkdir /backups', '<%= config.bin %> mkdir -p /a/b/c']
  static override flags = {
    parents: Flags.boolean({char: 'p', description: 'create missing parent folders too'}),
  }

  async run(): Promise<MkdirResult> {
    const {argv, flags} = await this.parse(Mkdir)
    const paths = argv as string[]
    if (paths.length === 0) throw new UsageError('Missing the folder to create. Usage: mkdir [-p] remotepath...')
    await this.context.ready()
    const resolver = this.resolver()
    const created: string[] = []
    // Another command of this profile may be creating the same folders: look and create under the lock.
    await withTreeWriteLock(this.context, async () => {
      for (const path of paths) {
        const partial = resolver.resolvePartial(path)
        if (!partial) throw new CommandError(`${path}: Not a directory`, ExitCode.INVALIDTYPE)
        if (partial.missing.length === 0) {
          const kind = partial.node.type === NodeType.FILE ? 'File' : 'Folder'
          throw new CommandError(`${kind} already exists: ${path}`, ExitCode.INVALIDSTATE)
        }
        if (partial.missing.length > 1 && !flags.parents) throw new UsageError(`Use -p to create folders recursively: ${path}`)
        if (partial.missing.includes('..')) throw new UsageError(`Cannot create ${path}: ".." after a missing folder`)
        for (const folder of await createFolderPath(this.context, partial.node, partial.missing)) created.push(resolver.pathOf(folder))
      }
    })
    return {created}
  }
}
