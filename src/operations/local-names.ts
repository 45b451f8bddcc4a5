import {stat} from 'node:fs/promises'
import {basename, dirname, extname, join, resolve, sep} from 'node:path'
import {CommandError} from '../errors.js'

/**
 * Remote names are chosen by whoever wrote the node, so a name like `../../.bashrc` or `a/b` must never
 * steer a download outside its target folder. Unsafe characters become `_`; `.` and `..` get a prefix.
 */
export function safeLocalName(remoteName: string): string {
  // eslint-disable-next-line no-control-regex
  let name = remoteName.replace(/[/\\\0]/g, '_')
  if (name === '' || name === '.' || name === '..') name = `_${name}`
  return name
}

/** `dir/name` for a remote name, checked to stay inside `dir`. */
export function childPath(dir: string, remoteName: string): string {
  const base = resolve(dir)
  const path = join(base, safeLocalName(remoteName))
  if (!path.startsWith(base + sep)) throw new CommandError(`Refusing to write outside ${base}: ${remoteName}`, 56)
  return path
}

/** `name (n).ext` next to `path` (MEGAcmd/SDK naming of a download beside an existing file). */
function numberedName(path: string, n: number): string {
  const ext = extname(path)
  return join(dirname(path), `${basename(path, ext)} (${n})${ext}`)
}

/**
 * Where a download goes without overwriting anything: `path`, or `name (1).ext`, `name (2).ext`, … — the
 * first that is free, unless one already taken holds this very content (`holdsContent`), which makes the
 * download unnecessary.
 */
export async function localSlot(path: string, holdsContent: (candidate: string) => Promise<boolean>): Promise<{path: string; skipped: boolean}> {
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? path : numberedName(path, i)
    if (!(await stat(candidate).catch(() => undefined))) return {path: candidate, skipped: false}
    if (await holdsContent(candidate)) return {path: candidate, skipped: true}
  }
}
