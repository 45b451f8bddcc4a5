/**
 * How `export` names each exported node it lists, from the path argument it was given (megacmdexecuter.cpp
 * getDisplayPath): an absolute argument lists absolute paths; a relative one lists paths relative to the cwd
 * (a node outside it keeps its absolute path, the cwd itself too); leading `../` (and `./`) steps move the base up
 * (or keep it) and are printed in front, so `export ../x` lists `../x/…`.
 *
 * One difference on purpose: after a leading `./` MEGAcmd prints `./` alone for every node (its loop returns there
 * before adding the path); we print `./` and the path, as `../` already is.
 */
export function displayPath(given: string, nodePath: string, cwdPath: string): string {
  if (given.startsWith('/')) return nodePath
  let prefix = ''
  let base = cwdPath
  for (let rest = given; ; ) {
    if (rest.startsWith('./')) {
      prefix += './'
      rest = rest.slice(2)
    } else if (rest.startsWith('../')) {
      prefix += '../'
      base = parentPath(base)
      rest = rest.slice(3)
    } else {
      break
    }
  }
  const start = base === '/' ? '/' : `${base}/`
  return nodePath.startsWith(start) ? prefix + nodePath.slice(start.length) : prefix + nodePath
}

function parentPath(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}
