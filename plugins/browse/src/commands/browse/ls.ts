import {Flags} from '@oclif/core'
import {ArgumentFailures, MegaCommand} from '@mega-shell/core'
import type {ListEntry} from '../../listing/entry.js'
import {listPaths} from '../../listing/listed-paths.js'
import {TreeLister} from '../../listing/list-tree.js'

export interface LsResult {
  entries: ListEntry[]
}

export default class Ls extends MegaCommand<LsResult> {
  static override summary = 'List files and folders'
  static override description = `Lists the children of a remote path (default: the remote cwd) as MEGAcmd does: names one per line,
folders first, then in natural order (file2 before file10), or with -l a table "FLAGS VERS SIZE DATE NAME".
Paths may hold * and ? wildcards (quote them): each folder matched is listed under a "<path>: " title, and so is
each of several paths (MEGAcmd lists only the first).`
  static override aliases = ['ls']
  static override strict = false
  static override examples = ['<%= config.bin %> ls -l /', '<%= config.bin %> ls -R /photos', `<%= config.bin %> ls '/docs/*.pdf'`]
  static override flags = {
    long: Flags.boolean({char: 'l', description: 'a summary table: flags, versions, size, date, name'}),
    recursive: Flags.boolean({char: 'R', description: 'list folders recursively'}),
    r: Flags.boolean({char: 'r', description: 'same as -R', hidden: true}),
    human: Flags.boolean({char: 'h', description: 'human-readable sizes (with -l)'}),
    'show-handles': Flags.boolean({description: 'print node handles (H:xxxxxxxx)'}),
  }

  async run(): Promise<LsResult> {
    const {argv, flags} = await this.parse(Ls)
    await this.context.ready()
    const resolver = this.resolver()
    const lister = new TreeLister(this.context.nodes, resolver, {
      long: Boolean(flags.long), recursive: Boolean(flags.recursive || flags.r), human: Boolean(flags.human), showHandles: Boolean(flags['show-handles']),
    })
    const paths = argv as string[]
    const failures = new ArgumentFailures()
    const lines = paths.length === 0 ? lister.list(resolver.cwd, null) : listPaths(paths, resolver, lister, failures)
    for (const line of lines) this.out(line)
    return this.settle({entries: lister.entries}, failures)
  }
}
