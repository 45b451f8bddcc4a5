import {type Dirent, readdirSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

/**
 * The local paths that complete `word`, relative to `cwd` (or absolute, or `~/…`): folders end with `/`, a
 * symbolic link to a folder too; hidden names only when the word's last part starts with a dot, as bash does.
 */
export function localCandidates(cwd: string, word: string, foldersOnly: boolean): string[] {
  const slash = word.lastIndexOf('/')
  const base = word.slice(0, slash + 1)
  const partial = word.slice(slash + 1)
  const folder = base.startsWith('~/') ? join(homedir(), base.slice(2)) : resolve(cwd, base || '.')
  let entries: Dirent[]
  try {
    entries = readdirSync(folder, {withFileTypes: true})
  } catch {
    return []
  }
  const names: string[] = []
  for (const entry of entries) {
    if (!entry.name.startsWith(partial) || (entry.name.startsWith('.') && !partial.startsWith('.'))) continue
    const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && isFolderPath(join(folder, entry.name)))
    if (foldersOnly && !isFolder) continue
    names.push(base + entry.name + (isFolder ? '/' : ''))
  }
  return names.sort()
}

function isFolderPath(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
