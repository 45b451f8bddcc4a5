import {Flags} from '@oclif/core'
import {ArgumentFailures, megaHome, MegaCommand, UsageError} from '@mega-shell/core'
import {filterEditLines, filterEditSummary, invalidFilterMessage} from '../../format/filter-edit-lines.js'
import {isValidFilter} from '../../ignore/ignore-filter.js'
import {defaultMegaIgnoreFile, editFilters} from '../../ignore/megaignore-file.js'

export interface ExcludeResult {
  /** The `.megaignore.default` edited. */
  file: string
  added?: string[]
  removed?: string[]
  skipped?: string[]
  /** Patterns whose filter `-:<pattern>` has no valid format (then nothing is added). */
  invalid?: string[]
  /** The file's lines after the change. */
  lines: string[]
}

const USAGE = 'exclude [(-a|-d) pattern1 pattern2 pattern3]'

export default class Exclude extends MegaCommand<ExcludeResult> {
  static override summary = 'Add or remove default exclusion patterns of new syncs (deprecated: use sync-ignore)'
  static override description = `Each pattern becomes the ignore filter "-:<pattern>" (exclude whatever has that name; * and ? wildcards
allowed), added with -a or removed with -d in the profile's .megaignore.default, the rules new syncs start with.
Existing syncs are not affected: edit theirs with "sync-ignore". Then prints "Contents of .megaignore.default:"
and the file.
A .megaignore.default that does not exist yet is started from the rules a new sync gets without one (.*, ~*,
desktop.ini, Thumbs.db, *.tmp and a few more). A pattern with white space in it is not a valid filter: nothing is
added and the exit code is 51.
This command is DEPRECATED. Use "sync-ignore --add-exclusion … DEFAULT" instead.`
  static override aliases = ['exclude']
  static override strict = false
  static override examples = [
    '<%= config.bin %> exclude -a "*.bak" node_modules',
    '<%= config.bin %> exclude -d "*.bak"',
  ]
  static override flags = {
    a: Flags.boolean({char: 'a', description: 'add the patterns to the default exclusions', exclusive: ['d']}),
    d: Flags.boolean({char: 'd', description: 'remove the patterns from the default exclusions', exclusive: ['a']}),
  }

  async run(): Promise<ExcludeResult> {
    const {argv, flags} = await this.parse(Exclude)
    const patterns = argv as string[]
    if (Boolean(flags.a) === Boolean(flags.d)) throw new UsageError(`Usage: ${USAGE}`)
    if (patterns.length === 0) throw new UsageError(`At least one pattern is required for -a or -d. Usage: ${USAGE}`)
    const action = flags.a ? 'add' : 'remove'
    // MEGAcmd's translation of the old patterns (SyncIgnore::getFilterFromLegacyPattern).
    const filters = patterns.map((pattern) => `-:${pattern}`)
    const file = defaultMegaIgnoreFile(megaHome(), true)!
    const failures = new ArgumentFailures()
    let result: Omit<ExcludeResult, 'lines'> = {file: file.path}
    const invalid = action === 'add' ? filters.filter((filter) => !isValidFilter(filter)) : []
    if (invalid.length > 0) {
      for (const filter of invalid) failures.add(new UsageError(invalidFilterMessage(filter)))
      result = {...result, invalid: invalid.map((filter) => filter.slice(2))}
    } else {
      const edits = editFilters(file, action, filters)
      if (file.dirty) file.save()
      this.outLines(filterEditLines(action, edits))
      result = {...result, ...filterEditSummary(action, edits)}
    }
    const lines = file.shownLines()
    this.out()
    this.out('Contents of .megaignore.default:')
    this.outLines(lines)
    return this.settle({...result, lines}, failures)
  }
}
