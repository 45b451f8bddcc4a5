import {Flags} from '@oclif/core'
import {ArgumentFailures, MegaArgs, MegaCommand, timeFormatFlag, timeFormatter, usePcreFlag} from '@mega-shell/core'
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
-a adds each node's size or type and its public link state, -aa the link itself; --tree draws the tree.
Paths may hold * and ? wildcards (quote them), or regular expressions with --use-pcre: each folder matched is
listed under a "<path>: " title, and so is each of several paths (MEGAcmd lists only the first).`
  static override aliases = ['ls']
  static override strict = false
  static override usage = 'ls [-halRr] [--show-handles] [--tree] [--versions] [remotepath...] [--use-pcre] [--show-creation-time] [--time-format=FORMAT]'
  static override examples = ['<%= config.bin %> ls -l /', '<%= config.bin %> ls -R /photos', `<%= config.bin %> ls '/docs/*.pdf'`, '<%= config.bin %> ls -aa /shared', '<%= config.bin %> ls --tree /']
  static override args = {path: MegaArgs.string({description: 'remote paths to list (default: the remote cwd)'})}
  static override flags = {
    long: Flags.boolean({char: 'l', description: 'a summary table: flags, versions, size, date, name'}),
    recursive: Flags.boolean({char: 'R', description: 'list folders recursively'}),
    r: Flags.boolean({char: 'r', description: 'same as -R', hidden: true}),
    human: Flags.boolean({char: 'h', description: 'human-readable sizes (with -l)'}),
    extended: Flags.boolean({char: 'a', description: 'extra information: sizes, types, link state; -aa adds the links'}),
    'show-handles': Flags.boolean({description: 'print node handles (H:xxxxxxxx)'}),
    tree: Flags.boolean({description: 'draw the tree (implies -R)'}),
    versions: Flags.boolean({description: 'older versions of files: a line each after the file, or with -l a "Versions of" table'}),
    'show-creation-time': Flags.boolean({description: 'with -l, the creation time of files instead of their modification time'}),
    'time-format': timeFormatFlag,
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<LsResult> {
    const {argv, flags, raw} = await this.parse(Ls)
    await this.context.ready()
    const resolver = this.resolver()
    const long = Boolean(flags.long)
    const tree = Boolean(flags.tree)
    const lister = new TreeLister(this.context.nodes, resolver, {
      long, tree, recursive: Boolean(flags.recursive || flags.r || flags.tree), human: Boolean(flags.human), showHandles: Boolean(flags['show-handles']),
      // MEGAcmd counts its flags: -aa (or -a -a) is level 2.
      extended: raw.filter((token) => token.type === 'flag' && token.flag === 'extended').length,
      showCreationTime: Boolean(flags['show-creation-time']),
      versions: Boolean(flags.versions),
      time: timeFormatter(flags['time-format'], long ? 'SHORT' : 'RFC2822'),
    })
    const paths = argv as string[]
    const failures = new ArgumentFailures()
    const lines = paths.length === 0
      ? [...(tree && !long ? ['.'] : []), ...lister.list(resolver.cwd, null)]
      : listPaths(paths, resolver, lister, failures, {pcre: flags['use-pcre'], tree: tree && !long})
    for (const line of lines) this.out(line)
    return this.settle({entries: lister.entries}, failures)
  }
}
