import {nameMatcher, NodeType, parseSizeConstraint, parseTimeConstraint, type SubtreeFilter, type SubtreeRow, UsageError} from '@mega-shell/core'

/** `find`'s options as given. */
export interface FindOptions {
  pattern?: string
  type?: string
  mtime?: string
  size?: string
  pcre: boolean
}

/** What the index query filters on, and what is left to check on each row it returns (a regular expression). */
export interface FindCriteria {
  filter: SubtreeFilter
  accepts: (row: SubtreeRow) => boolean
}

/**
 * `find`'s criteria (megacmdexecuter.cpp doFind / includeIfMatchesCriteria): `--pattern` on the name (`*` by
 * default; a regular expression with --use-pcre, checked here as SQLite has none), `--type=d|f`, `--mtime`,
 * `--size`. Bad times and sizes are MEGAcmd's "Invalid time <value>" (51). MEGAcmd ignores a --type other than d
 * or f; we refuse it (51) rather than silently find everything.
 */
export function findCriteria(options: FindOptions): FindCriteria {
  const filter: SubtreeFilter = {}
  if (options.type !== undefined) {
    if (options.type !== 'd' && options.type !== 'f') throw new UsageError(`Invalid type ${options.type}: use --type=d (folders) or --type=f (files)`)
    filter.type = options.type === 'f' ? NodeType.FILE : NodeType.FOLDER
  }
  if (options.mtime !== undefined) Object.assign(filter, parseTimeConstraint(options.mtime))
  if (options.size !== undefined) Object.assign(filter, parseSizeConstraint(options.size))
  const pattern = options.pattern ?? '*'
  if (!options.pcre) return {filter: {...filter, wildcard: pattern}, accepts: () => true}
  const matches = nameMatcher(pattern, true)
  return {filter, accepts: (row) => matches(row.name)}
}
