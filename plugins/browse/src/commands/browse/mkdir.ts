import {Flags} from '@oclif/core'
import {ArgumentFailures, createFolderPath, MegaCommand, UsageError, withTreeWriteLock} from '@mega-shell/core'
import {planFolder} from '../../creating/mkdir-plan.js'

export interface MkdirResult {
  created: string[]
}

export default class Mkdir extends MegaCommand<MkdirResult> {
  static override summary = 'Create remote folders'
  static override description = `Each path is created on its own: one that exists or lacks its parent (without -p) is reported,
the others are still created, and the exit code is the last failure's (as MEGAcmd).`
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
    const failures = new ArgumentFailures()
    // Another command of this profile may be creating the same folders: look and create under the lock.
    await withTreeWriteLock(this.context, async () => {
      for (const path of paths) {
        try {
          const plan = planFolder(resolver, path, flags.parents)
          for (const folder of await createFolderPath(this.context, plan.parent, plan.missing)) created.push(resolver.pathOf(folder))
        } catch (error) {
          failures.add(error)
        }
      }
    })
    return this.settle({created}, failures)
  }
}
