import {Flags} from '@oclif/core'
import {ArgumentFailures, MegaArgs, MegaCommand, timeFormatter} from '@mega-shell/core'
import type {ListEntry} from '../../listing/entry.js'
import {listPaths} from '../../listing/listed-paths.js'
import {TreeLister} from '../../listing/list-tree.js'

export interface TreeResult {
  entries: ListEntry[]
}

export default class Tree extends MegaCommand<TreeResult> {
  static override summary = 'Draw a remote folder as a tree'
  static override description = 'The same as "ls --tree": the path (default: the remote cwd), then everything below it drawn as a tree.'
  static override aliases = ['tree']
  static override strict = false
  static override usage = 'tree [remotepath] [--show-handles]'
  static override examples = ['<%= config.bin %> tree', '<%= config.bin %> tree /photos']
  static override args = {path: MegaArgs.string({description: 'remote folder (default: the remote cwd)'})}
  static override flags = {
    'show-handles': Flags.boolean({description: 'print node handles (H:xxxxxxxx)'}),
  }

  async run(): Promise<TreeResult> {
    const {argv, flags} = await this.parse(Tree)
    await this.context.ready()
    const resolver = this.resolver()
    // megacmdexecuter.cpp "tree": ls with the tree flag and nothing else.
    const lister = new TreeLister(this.context.nodes, resolver, {
      long: false, tree: true, recursive: true, human: false, showHandles: Boolean(flags['show-handles']), extended: 0, showCreationTime: false, versions: false,
      time: timeFormatter(undefined),
    })
    const paths = argv as string[]
    const failures = new ArgumentFailures()
    const lines = paths.length === 0 ? ['.', ...lister.list(resolver.cwd, null)] : listPaths(paths, resolver, lister, failures, {tree: true})
    for (const line of lines) this.out(line)
    return this.settle({entries: lister.entries}, failures)
  }
}
