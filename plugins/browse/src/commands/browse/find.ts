import {Flags} from '@oclif/core'
import {ArgumentFailures, isRegExpPath, MegaArgs, MegaCommand, type MegaNode, NotFoundError, printable, timeFormatFlag, timeFormatter, usePcreFlag} from '@mega-shell/core'
import {findCriteria} from '../../finding/find-criteria.js'
import {pathBelow, postOrder} from '../../finding/post-order.js'
import {extendedInfo} from '../../listing/extended-info.js'
import {PathDisplay} from '../../usage/display-path.js'

export interface FoundEntry {
  path: string
  handle: string
  type: 'file' | 'folder' | 'root' | 'inbox' | 'rubbish'
  size: number | null
}

export interface FindResult {
  found: FoundEntry[]
}

const TYPE_NAMES = ['file', 'folder', 'root', 'inbox', 'rubbish'] as const

export default class Find extends MegaCommand<FindResult> {
  static override summary = 'Find remote files and folders'
  static override description = `Lists every node below each path (default: the remote cwd), the path itself included, children before
their folder, as MEGAcmd does: paths relative to the cwd, or absolute when the path given starts with "/" or
contains "..". --pattern matches names (* and ? wildcards, or a regular expression with --use-pcre);
--mtime=[+-]TIMEDELAY[+-TIMEDELAY] (+1m: more than a month ago, -3h: within 3 hours), --size=[+-]SIZE[+-SIZE]
(+1M: at least 1 MiB; units B K M G T) and --type=d|f narrow it down. -l adds sizes and links. The search is one
indexed query of the local cache per path, however large the folder.`
  static override aliases = ['find']
  static override strict = false
  static override usage = 'find [remotepath...] [-l] [--pattern=PATTERN] [--type=d|f] [--mtime=TIMECONSTRAIN] [--size=SIZECONSTRAIN] [--use-pcre] [--time-format=FORMAT] [--show-handles|--print-only-handles]'
  static override examples = ['<%= config.bin %> find /photos --pattern="*.jpg"', '<%= config.bin %> find --type=f --mtime=-7d', '<%= config.bin %> find / --size=+100M -l']
  static override args = {path: MegaArgs.string({description: 'remote paths to search (default: the remote cwd)'})}
  static override flags = {
    l: Flags.boolean({char: 'l', description: 'sizes, types and links of what is found'}),
    pattern: Flags.string({description: 'names to find: * and ? wildcards (quote them), or a regular expression with --use-pcre', helpValue: 'PATTERN'}),
    type: Flags.string({description: 'd: folders only, f: files only', helpValue: 'd|f'}),
    mtime: Flags.string({description: 'modification time: +TIMEDELAY older, -TIMEDELAY newer, e.g. -3d, +1m, -3d+1h', helpValue: 'TIMECONSTRAIN'}),
    size: Flags.string({description: 'file size: +SIZE at least, -SIZE at most, e.g. +1M, -10k, +1k-4M', helpValue: 'SIZECONSTRAIN'}),
    'use-pcre': usePcreFlag,
    'time-format': timeFormatFlag,
    'show-handles': Flags.boolean({description: 'append each node\'s handle (<H:xxxxxxxx>)'}),
    'print-only-handles': Flags.boolean({description: 'print only the handles (H:xxxxxxxx)'}),
  }

  async run(): Promise<FindResult> {
    const {argv, flags} = await this.parse(Find)
    await this.context.ready()
    const criteria = findCriteria({pattern: flags.pattern, type: flags.type, mtime: flags.mtime, size: flags.size, pcre: flags['use-pcre']})
    const resolver = this.resolver()
    const display = new PathDisplay(resolver)
    const time = timeFormatter(flags['time-format'])
    const failures = new ArgumentFailures()
    const found: FoundEntry[] = []
    const lines: string[] = []
    const search = (top: MegaNode, given: string) => {
      const rows = this.context.subtrees.search(top.handle, criteria.filter).filter(criteria.accepts)
      const topPath = resolver.pathOf(top)
      // doFind: absolute paths when the path given starts with '/' or contains "..", else as getDisplayPath("").
      const absolute = given.startsWith('/') || given.includes('..')
      for (const {row, names} of postOrder(top, rows, (handle) => this.context.nodes.get(handle))) {
        const path = pathBelow(topPath, names)
        const shown = absolute ? path : display.show('', path)
        found.push({path, handle: row.handle, type: TYPE_NAMES[row.type] ?? 'folder', size: row.type === 0 ? row.size : null})
        lines.push(this.line(shown, row.handle, flags, time))
      }
    }
    const paths = argv as string[]
    if (paths.length === 0) search(resolver.cwd, '')
    for (const path of paths) {
      if (isRegExpPath(path)) {
        const nodes = resolver.resolve(path, {pcre: flags['use-pcre']})
        if (nodes.length === 0) failures.add(new NotFoundError(`${path}: No such file or directory`))
        for (const node of nodes) search(node, path)
      } else {
        const node = resolver.resolveOne(path)
        if (node) search(node, path)
        else failures.add(new NotFoundError(`Couldn't find ${path}`))
      }
    }
    this.outLines(lines)
    return this.settle({found}, failures)
  }

  /** One found node as doFind prints it. */
  private line(shown: string, handle: string, flags: {l: boolean; 'show-handles': boolean; 'print-only-handles': boolean}, time: (t: number) => string): string {
    if (flags['print-only-handles']) return `H:${handle}`
    const handleText = flags['show-handles'] ? ` <H:${handle}>` : ''
    if (!flags.l) return printable(shown) + handleText
    const node = this.context.nodes.get(handle)
    return printable(shown) + handleText + (node ? extendedInfo(node, 3, this.context.nodes, time) : '')
  }
}
