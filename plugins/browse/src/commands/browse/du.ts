import {Flags} from '@oclif/core'
import {isRegExpPath, MegaArgs, MegaCommand, type MegaNode, NotFoundError, pathDisplaySizeFlag, usePcreFlag} from '@mega-shell/core'
import {PathDisplay} from '../../usage/display-path.js'
import {DuTable, type UsageRow} from '../../usage/du-table.js'
import {pathColumnWidth} from '../../usage/path-column.js'

export interface DuResult {
  rows: UsageRow[]
  total: number
  /** With --versions: the total with the files' older versions. */
  totalWithVersions?: number
}

export default class Du extends MegaCommand<DuResult> {
  static override summary = 'Show the storage used by remote files and folders'
  static override description = `For each path (default: the remote cwd), the bytes of the files below it, then the total, as MEGAcmd
prints them. Paths may hold * and ? wildcards (quote them), or regular expressions with --use-pcre. A path that
names nothing stops the command (exit 53), as in MEGAcmd. The sizes come from one indexed query of the local
cache per path, however large the folder.`
  static override aliases = ['du']
  static override strict = false
  static override usage = 'du [-h] [--versions] [remotepath...] [--use-pcre] [--path-display-size=N]'
  static override examples = ['<%= config.bin %> du', '<%= config.bin %> du -h /photos /docs', `<%= config.bin %> du '/backup/*'`]
  static override args = {path: MegaArgs.string({description: 'remote paths (default: the remote cwd)'})}
  static override flags = {
    human: Flags.boolean({char: 'h', description: 'human-readable sizes'}),
    versions: Flags.boolean({description: 'a second column with the sizes including the files\' older versions'}),
    'use-pcre': usePcreFlag,
    'path-display-size': pathDisplaySizeFlag,
  }

  async run(): Promise<DuResult> {
    const {argv, flags} = await this.parse(Du)
    await this.context.ready()
    const resolver = this.resolver()
    const versions = Boolean(flags.versions)
    const table = new DuTable(pathColumnWidth(flags['path-display-size'], versions ? 'du --versions' : 'du'), Boolean(flags.human), versions)
    const display = new PathDisplay(resolver)
    const result: DuResult = {rows: [], total: 0, ...(versions ? {totalWithVersions: 0} : {})}
    const add = (path: string, node: MegaNode) => {
      const bytes = this.context.subtrees.usage(node.handle).bytes
      const row: UsageRow = {path: display.show(path, resolver.pathOf(node)), bytes, ...(versions ? {withVersions: bytes + this.context.subtrees.versionBytes(node.handle)} : {})}
      if (result.rows.length === 0) this.out(table.header())
      result.rows.push(row)
      result.total += row.bytes
      if (row.withVersions !== undefined) result.totalWithVersions = (result.totalWithVersions ?? 0) + row.withVersions
      this.out(table.row(row))
    }
    const paths = argv.length ? (argv as string[]) : ['.']
    for (const path of paths) {
      if (isRegExpPath(path)) {
        // A pattern that matches nothing adds no row and is no error (megacmdexecuter.cpp "du").
        for (const node of resolver.resolve(path, {pcre: flags['use-pcre']})) add(path, node)
        continue
      }
      const node = resolver.resolveOne(path)
      // MEGAcmd stops at the first missing path: no total, whatever was printed before.
      if (!node) throw new NotFoundError(`${path}: No such file or directory`)
      add(path, node)
    }
    if (result.rows.length) for (const line of table.footer(result.total, result.totalWithVersions)) this.out(line)
    return result
  }
}
