/**
 * How MEGAcmd's ls titles a path (megacmdexecuter.cpp "ls", rNpath, and dumptree/dumpTreeSummary,
 * pathToShow). Only two rows use it: a file given as the argument itself (`ls /docs/a.txt` prints
 * `docs/a.txt`) and the `<path>:` title of the listed folder with `-lR`; deeper `-lR` titles are absolute.
 *
 * `null` is MEGAcmd's "NULL": titles are absolute paths (and plain rows names).
 */
export type RelativeBase = string | null

/**
 * The base of an argument's titles: none without a '/' in it; with one, the cwd when the argument contains the
 * cwd's path anywhere (MEGAcmd's find(), not a prefix test), else '' (absolute titles). A cwd that no longer
 * exists only means absolute titles here.
 */
export function relativeBase(argument: string, cwdPath: () => string): RelativeBase {
  if (!argument.includes('/')) return null
  let cwd: string
  try {
    cwd = cwdPath()
  } catch {
    return ''
  }
  return argument.includes(cwd) ? cwd : ''
}

/**
 * A node's path as MEGAcmd shows it: the path without the base when it starts with it (and without the '/'
 * that follows, unless the base is '/' itself), else the whole path.
 */
export function shownPath(nodePath: string, base: RelativeBase): string {
  if (!base || !nodePath.startsWith(base)) return nodePath
  const rest = nodePath.slice(base.length)
  return rest.startsWith('/') && base !== '/' ? rest.slice(1) : rest
}
