import {join} from 'node:path'
import {Flags} from '@oclif/core'
import {ArgumentFailures, CommandError, ExitCode, megaHome, MegaCommand, NotFoundError, UsageError} from '@mega-shell/core'
import {filterEditLines, filterEditSummary, invalidFilterMessage} from '../../format/filter-edit-lines.js'
import {findSync} from '../../format/sync-target.js'
import {IGNORE_FILE} from '../../ignore/default-ignore-file.js'
import {isValidFilter} from '../../ignore/ignore-filter.js'
import {defaultMegaIgnoreFile, editFilters, EMPTY_MEGAIGNORE, MegaIgnoreFile} from '../../ignore/megaignore-file.js'
import {callSync, type ListReply, type SyncListing} from '../../service/sync-protocol.js'

export interface SyncIgnoreResult {
  /** The file shown or edited. */
  file: string
  /** --show: its lines. */
  lines?: string[]
  added?: string[]
  removed?: string[]
  /** Already there (add) or not there (remove). */
  skipped?: string[]
  /** --add: the filters refused for their format (then nothing is added). */
  invalid?: string[]
}

const USAGE = 'sync-ignore [--show | [--add | --add-exclusion | --remove | --remove-exclusion] filter1 filter2 ...] (ID|localpath|DEFAULT)'
const ACTIONS = ['show', 'add', 'add-exclusion', 'remove', 'remove-exclusion'] as const
/** An exclusion filter typed where a flag may be (`-f:*.txt`, `-:x`): it needs `--` before it. */
const EXCLUSION_WORD = /^-[adfs]?[Nnp]?[GgRr]?:/

export default class SyncIgnore extends MegaCommand<SyncIgnoreResult> {
  static override summary = 'Show or edit the ignore filters of a sync, or the default ones'
  static override description = `Shows or edits the .megaignore file at the root of a sync (given by ID or local path), or with DEFAULT the
profile's .megaignore.default, which new syncs start with (existing syncs are not affected by it). Only the root
.megaignore of a sync is edited; those of sub-folders are edited by hand. After a sync's file changes, the sync
rescans with the new rules.
--show (the default) prints the file as it is, comments included. --add adds filters, --remove removes them;
--add-exclusion and --remove-exclusion do the same with the "-" (exclude) class added for you. A filter already
there (add) or not there (remove) is skipped with a note. A filter that does not have a valid format fails the
whole --add (exit 51) and nothing is added.
Filters have the format <CLASS><TARGET><TYPE><STRATEGY>:<PATTERN>:
  CLASS     - exclude, + include
  TARGET    d directories, f files, s symbolic links, a all (default)
  TYPE      N name, only in the sync's root folder; n name, anywhere below it (default); p path relative to the root
            (always with "/")
  STRATEGY  G or g glob (* and ?; default), R or r POSIX extended regular expression; upper case is case-sensitive
Examples: -f:*.txt (no .txt files), +fg:work*.txt (but the work*.txt ones), -N:*.avi (no .avi files directly in the
root), -nr:.*foo.* (nothing whose name contains foo), -d:private (no folders named private).
Exclusion filters start with "-": pass "--" before them (sync-ignore --add -- -f:*.txt ID), or use --add-exclusion.
The sync or DEFAULT is always the last word.
Differences from MEGAcmd: the file is replaced at once (never half written) and its other lines, BOM and line
endings are kept as they are; filters are handled in the order given (MEGAcmd sorts them); --add on a sync whose
.megaignore was deleted creates it, and --add or --remove on DEFAULT without a .megaignore.default starts it from
the rules new syncs get without one.`
  static override aliases = ['sync-ignore']
  static override strict = false
  static override examples = [
    '<%= config.bin %> sync-ignore WOOmFwZfQwM',
    '<%= config.bin %> sync-ignore --add -- -f:*.tmp -d:node_modules ~/Documents',
    '<%= config.bin %> sync-ignore --add-exclusion "f:*.log" WOOmFwZfQwM',
    '<%= config.bin %> sync-ignore --remove -- -:.* DEFAULT',
    '<%= config.bin %> sync-ignore --show DEFAULT',
  ]
  static override flags = {
    show: Flags.boolean({description: 'print the filters file (the default)'}),
    add: Flags.boolean({description: 'add the filters given'}),
    'add-exclusion': Flags.boolean({description: 'add the filters given, each with "-" (exclude) put before it'}),
    remove: Flags.boolean({description: 'remove the filters given'}),
    'remove-exclusion': Flags.boolean({description: 'remove the filters given, each with "-" (exclude) put before it'}),
  }

  async run(): Promise<SyncIgnoreResult> {
    const dashDash = this.argv.indexOf('--')
    const beforeFilters = dashDash === -1 ? this.argv : this.argv.slice(0, dashDash)
    const unguarded = beforeFilters.find((word) => EXCLUSION_WORD.test(word))
    if (unguarded) throw new UsageError(`The filter "${unguarded}" starts with "-": put "--" before the filters (sync-ignore --add -- ${unguarded} ID), or use --add-exclusion`)
    const {argv, flags} = await this.parse(SyncIgnore)
    const words = argv as string[]
    const chosen = ACTIONS.filter((name) => flags[name])
    if (chosen.length > 1) throw new UsageError(`Only one action (show, add, add-exclusion, remove, or remove-exclusion) can be specified at a time. Usage: ${USAGE}`)
    if (words.length === 0) throw new UsageError(`Usage: ${USAGE}`)
    const action = chosen[0] === 'add' || chosen[0] === 'add-exclusion' ? 'add' : chosen[0] === 'remove' || chosen[0] === 'remove-exclusion' ? 'remove' : 'show'
    const exclusion = chosen[0] === 'add-exclusion' || chosen[0] === 'remove-exclusion'
    const target = words.at(-1)!
    const filters = words.slice(0, -1).map((word) => (exclusion ? `-${word}` : word))
    if (action === 'show' && filters.length > 0) throw new UsageError(`--show takes no filters. Usage: ${USAGE}`)
    if (action !== 'show' && filters.length === 0) throw new UsageError(`At least one name filter is required for add or remove. Usage: ${USAGE}`)

    const sync = target.toLowerCase() === 'default' ? undefined : await this.sync(target)
    const file = sync ? this.syncFile(sync, action) : this.defaultFile(action)
    if (action === 'show') {
      const lines = file.shownLines()
      this.outLines(lines)
      return {file: file.path, lines}
    }

    const failures = new ArgumentFailures()
    if (action === 'add') {
      // MEGAcmd: one filter in a bad format fails the whole command, so that half a set of rules never applies.
      const invalid = filters.filter((filter) => !isValidFilter(filter))
      if (invalid.length > 0) {
        for (const filter of invalid) failures.add(new UsageError(invalidFilterMessage(filter)))
        return this.settle({file: file.path, invalid}, failures)
      }
    }
    const edits = editFilters(file, action, filters)
    if (file.dirty) {
      file.save()
      if (sync) await callSync(this.config.root, 'ignore-changed', {target: sync.id})
    }
    this.outLines(filterEditLines(action, edits))
    return {file: file.path, ...filterEditSummary(action, edits)}
  }

  private async sync(target: string): Promise<SyncListing> {
    const {syncs} = await callSync<ListReply>(this.config.root, 'list')
    const sync = findSync(syncs, target)
    if (!sync) throw new NotFoundError(`Sync ${target} was not found`)
    return sync
  }

  /** The sync root's `.megaignore`; one deleted since is created again (with a BOM, as MEGAcmd makes one) by --add only. */
  private syncFile(sync: SyncListing, action: 'show' | 'add' | 'remove'): MegaIgnoreFile {
    const path = join(sync.localPath, IGNORE_FILE)
    const file = MegaIgnoreFile.read(path)
    if (file) return file
    if (action === 'add') return MegaIgnoreFile.create(path, EMPTY_MEGAIGNORE)
    throw new NotFoundError(`Mega ignore file "${path}" does not exist`)
  }

  private defaultFile(action: 'show' | 'add' | 'remove'): MegaIgnoreFile {
    const file = defaultMegaIgnoreFile(megaHome(), action !== 'show')
    if (!file) throw new CommandError('Default .megaignore file does not exist (will be created when a new sync is added)', ExitCode.NOTFOUND)
    return file
  }
}
