import {Flags} from '@oclif/core'
import {ArgumentFailures, askText, canPrompt, deleteAllVersions, deleteNode, failedTo, fileTime, isRegExpPath, type MegaNode, MegaCommand, NotFoundError, printable, UsageError, usePcreFlag} from '@mega-shell/core'
import {type VersionHistory, versionHistory} from '../../removing/version-histories.js'

export interface DeleteVersionsResult {
  /** `name#mtime` of each version deleted (empty with --all: the server does not say which). */
  deleted: string[]
  all: boolean
}

const USAGE = 'Usage: deleteversions [-f] (--all | remotepath1 remotepath2 ...)  [--use-pcre]'
const ALL_QUESTION = 'Are you sure todelete the version histories of all files? (Yes/No): '

export default class DeleteVersions extends MegaCommand<DeleteVersionsResult> {
  static override summary = 'Delete the previous versions of files, keeping the current ones'
  static override description = `As MEGAcmd's deleteversions: each file's version history (ls --versions), or those of every file in a folder,
or with --all of the whole account. Without -f each path is confirmed on a terminal; with no terminal, -f is required.
A file without versions is reported ("No versions found for <name>") and is not an error.`
  static override aliases = ['deleteversions']
  static override strict = false
  static override examples = ['<%= config.bin %> deleteversions -f /docs/notes.txt', '<%= config.bin %> deleteversions -f --all']
  static override flags = {
    force: Flags.boolean({char: 'f', description: 'do not ask for confirmation'}),
    all: Flags.boolean({description: 'delete the version histories of all files (not the current files)'}),
    'use-pcre': usePcreFlag,
  }

  async run(): Promise<DeleteVersionsResult> {
    const {argv, flags} = await this.parse(DeleteVersions)
    const paths = argv as string[]
    // MEGAcmd refuses --all with paths (usage, 51); with neither it does nothing and exits 0: we ask for one.
    if (flags.all === paths.length > 0) throw new UsageError(USAGE)
    await this.context.ready()
    return flags.all ? this.deleteAll(flags.force) : this.deletePaths(paths, flags.force, flags['use-pcre'])
  }

  private async deleteAll(force: boolean): Promise<DeleteVersionsResult> {
    if (!force && (await this.confirmOrAll(ALL_QUESTION)) === 'no') return {deleted: [], all: false}
    await deleteAllVersions(this.context)
    this.out('File versions deleted successfully. Please note that the current files were not deleted, just their history.')
    return {deleted: [], all: true}
  }

  private async deletePaths(paths: string[], force: boolean, pcre: boolean): Promise<DeleteVersionsResult> {
    const resolver = this.resolver()
    const failures = new ArgumentFailures()
    const histories: VersionHistory[] = []
    for (const path of paths) {
      const nodes = resolver.resolve(path, {pcre})
      // MEGAcmd words the two cases differently (megacmdexecuter.cpp "deleteversions"); with its PCRE build a
      // `.` in a name already makes a pattern.
      if (nodes.length === 0) failures.add(new NotFoundError(isRegExpPath(path) ? `No node found: ${path}` : `Node not found: ${path}`))
      histories.push(...nodes.map((node) => versionHistory(node, this.context.nodes)))
    }
    // MEGAcmd would ask on its stdin and read a closed one for ever: with no terminal, -f is required.
    if (!force && histories.some((h) => h.question) && !canPrompt()) {
      throw new UsageError('Deleting file versions needs confirmation: use -f in non-interactive mode')
    }
    const chosen: MegaNode[] = []
    let all = force
    for (const history of histories) {
      if (!history.question) {
        if (!force) this.warn(`No versions found for ${printable(history.node.name)}`)
        continue
      }
      if (!all) {
        const answer = await this.confirmOrAll(history.question)
        if (answer === 'no') continue
        all = answer === 'all'
      }
      chosen.push(...history.versions)
    }
    const unique = [...new Map(chosen.map((v) => [v.handle, v])).values()]
    const names = unique.map((v) => `${v.name}#${fileTime(v)}`)
    // Issued together, the deletions travel in one API batch.
    const results = await Promise.allSettled(unique.map((version) => deleteNode(this.context, version)))
    const deleted: string[] = []
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') deleted.push(names[i])
      else failures.add(failedTo(`remove version: ${names[i]}`, result.reason))
    }
    return this.settle({deleted, all: false}, failures)
  }

  /** MEGAcmd's askforConfirmation: yes, no, or all (yes, and stop asking). */
  private async confirmOrAll(question: string): Promise<'yes' | 'no' | 'all'> {
    if (!canPrompt()) throw new UsageError('Deleting file versions needs confirmation: use -f in non-interactive mode')
    const answer = (await askText(question.trimEnd(), 'confirmation')).trim().toLowerCase()
    if (answer === 'all' || answer === 'a') return 'all'
    return answer === 'yes' || answer === 'y' ? 'yes' : 'no'
  }
}
