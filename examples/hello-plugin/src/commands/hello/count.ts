import {Flags} from '@oclif/core'
import {MegaArgs, MegaCommand, NodeType, NotFoundError} from '@mega-shell/core'
import {type RecentChanges, SERVICE} from '../../recent-changes.js'

export interface CountResult {
  path: string
  files: number
  folders: number
  /** With --changes: what the plugin's service in the background server has seen. */
  changes?: RecentChanges
}

/**
 * A plugin command built only on `@mega-shell/core`: MegaCommand gives it --json, -v, MEGAcmd's exit codes and the
 * local cache; the PathResolver resolves remote paths as every mega command does (cwd, //bin, user@mail:share/);
 * the cache's subtree queries count a folder of any size in one indexed query.
 */
export default class Count extends MegaCommand<CountResult> {
  static override summary = 'Count the files below a remote folder (an example plugin)'
  static override description = `Prints how many files and folders are below a remote path (default: the remote cwd), from the local cache.

With --changes it also asks the plugin's service in the background server for the remote changes it has seen (the server is started if it is not running).`
  static override examples = ['<%= config.bin %> hello count', '<%= config.bin %> hello count /photos --changes']
  static override args = {path: MegaArgs.string({description: 'remote folder (default: the remote cwd)'})}
  static override flags = {changes: Flags.boolean({description: 'also show the remote changes the background server has seen'})}

  async run(): Promise<CountResult> {
    const {args, flags} = await this.parse(Count)
    await this.context.ready()
    const resolver = this.resolver()
    const path = args.path ?? '.'
    const node = resolver.resolveOne(path)
    if (!node) throw new NotFoundError(`${path}: No such file or directory`)
    const usage = this.context.subtrees.usage(node.handle)
    // The subtree's counts include its top: a folder (a root is a type of its own) or a file.
    const top = {files: node.type === NodeType.FILE ? 1 : 0, folders: node.type === NodeType.FOLDER ? 1 : 0}
    const result: CountResult = {path: resolver.pathOf(node), files: usage.files - top.files, folders: usage.folders - top.folders}
    this.out(`${result.path}: ${result.files} files, ${result.folders} folders`)
    if (flags.changes) {
      result.changes = await this.callService<RecentChanges>(SERVICE, 'recent')
      const kinds = result.changes.recent.map((change) => change.kind).join(' ')
      this.out(`remote changes seen by the server: ${result.changes.total}${kinds ? ` (last: ${kinds})` : ''}`)
    }
    return result
  }
}
