import {Flags} from '@oclif/core'
import {hasWildcard, MegaCommand, NotFoundError, printable} from '@mega-shell/core'
import type {ListEntry} from '../../listing/entry.js'
import {TreeLister} from '../../listing/list-tree.js'

export interface LsResult {
  entries: ListEntry[]
}

export default class Ls extends MegaCommand<LsResult> {
  static override summary = 'List files and folders'
  static override description = `Lists the children of each remote path (default: the remote cwd), MEGAcmd style: names one per line,
or with -l a table "FLAGS VERS SIZE DATE NAME". Paths may hold * and ? wildcards (quote them).`
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
    const paths = (argv as string[]).length ? (argv as string[]) : []
    const options = {long: Boolean(flags.long), recursive: Boolean(flags.recursive || flags.r), human: Boolean(flags.human), showHandles: Boolean(flags['show-handles'])}
    const lister = new TreeLister(this.context.nodes, resolver, {...options, relativeTo: null})
    if (paths.length === 0) {
      lister.header()
      lister.list(resolver.resolve('.')[0])
      this.print(lister.lines)
      return {entries: lister.entries}
    }
    const entries: ListEntry[] = []
    const missing: string[] = []
    let first = true
    for (const path of paths) {
      const nodes = resolver.resolve(path)
      if (nodes.length === 0) {
        missing.push(path)
        continue
      }
      const relativeTo = path.includes('/') ? relativeTitles(path, () => resolver.pathOf(resolver.cwd)) : null
      const many = hasWildcard(path) || paths.length > 1
      for (const node of nodes) {
        const part = new TreeLister(this.context.nodes, resolver, {...options, relativeTo})
        if (first) part.header()
        first = false
        const isFolder = node.type !== 0
        if (many && isFolder) part.lines.unshift(`${printable(resolver.pathOf(node))}: `)
        part.list(node)
        if (many && isFolder) part.lines.push('')
        this.print(part.lines)
        entries.push(...part.entries)
      }
    }
    if (missing.length) throw new NotFoundError(`Couldn't find ${missing.join(', ')}`)
    return {entries}
  }

  private print(lines: string[]): void {
    for (const line of lines) this.out(line)
  }
}

/**
 * MEGAcmd titles rows of a path with a '/' relative to the cwd when the path is inside it, else absolute. A
 * relative path has resolved through the cwd already; an absolute one needs no cwd, so a cwd that no longer
 * exists (an error for relative paths) only means absolute titles here.
 */
function relativeTitles(path: string, cwdPath: () => string): string {
  let cwd: string
  try {
    cwd = cwdPath()
  } catch {
    return ''
  }
  return cwd === '/' || path.startsWith(cwd) ? cwd : ''
}
