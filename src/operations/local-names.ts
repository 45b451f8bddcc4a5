import {statSync, type Stats} from 'node:fs'
import {basename, dirname, extname, join, resolve, sep} from 'node:path'
import {CommandError} from '../errors.js'
import {NAME_MAX, truncateUtf8, utf8Length} from '../transfer/name-limits.js'

/** Why a download does not carry its remote name (reported to the user, one line each). */
export type RenameReason = 'name not allowed locally' | 'name too long for the local file system' | 'a local file has this name'

/**
 * A shortened name keeps this many bytes free, so that `name (n).ext` beside it keeps the same stem for any
 * n below a million.
 */
const NUMBER_ROOM = ' (999999)'.length
/** An "extension" longer than this is part of the name, not something to keep when shortening. */
const MAX_KEPT_EXTENSION = 16

/**
 * Remote names are chosen by whoever wrote the node, so a name like `../../.bashrc` or `a/b` must never
 * steer a download outside its target folder. Unsafe characters become `_`; `.` and `..` get a prefix. A name
 * longer than the local file system allows (MEGA has no limit) is shortened, keeping its extension.
 */
export function localName(remoteName: string): {name: string; reason?: RenameReason} {
  // eslint-disable-next-line no-control-regex
  let name = remoteName.replace(/[/\\\0]/g, '_')
  if (name === '' || name === '.' || name === '..') name = `_${name}`
  if (utf8Length(name) > NAME_MAX) return {name: fitName(name, NAME_MAX - NUMBER_ROOM), reason: 'name too long for the local file system'}
  return name === remoteName ? {name} : {name, reason: 'name not allowed locally'}
}

export function safeLocalName(remoteName: string): string {
  return localName(remoteName).name
}

/** `dir/name` for a remote name, checked to stay inside `dir`, with the reason when the name had to change. */
export function localChild(dir: string, remoteName: string): {path: string; reason?: RenameReason} {
  const base = resolve(dir)
  const {name, reason} = localName(remoteName)
  const path = join(base, name)
  if (!path.startsWith(base + sep)) throw new CommandError(`Refusing to write outside ${base}: ${remoteName}`, 56)
  return {path, reason}
}

export function childPath(dir: string, remoteName: string): string {
  return localChild(dir, remoteName).path
}

/** `<stem><suffix><ext>` for `name`, cut to `maxBytes` of UTF-8 if need be, keeping a short extension (`.txt`). */
function fitName(name: string, maxBytes: number, suffix = ''): string {
  const ext = extname(name)
  if (utf8Length(name + suffix) <= maxBytes) return name.slice(0, name.length - ext.length) + suffix + ext
  const kept = utf8Length(ext) <= MAX_KEPT_EXTENSION ? ext : ''
  const stem = name.slice(0, name.length - kept.length)
  return truncateUtf8(stem, maxBytes - utf8Length(suffix + kept)) + suffix + kept
}

/** `name (n).ext` next to `path` (MEGAcmd/SDK naming of a download beside an existing file), within NAME_MAX. */
function numberedName(path: string, n: number): string {
  return join(dirname(path), fitName(basename(path), NAME_MAX, ` (${n})`))
}

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, {throwIfNoEntry: false})
  } catch {
    // Unreadable (EACCES, ENOTDIR, a loop): free as far as stat can tell; writing there fails with its own error.
    return undefined
  }
}

/**
 * Where a download goes without overwriting anything: `path`, or `name (1).ext`, `name (2).ext`, … — the
 * first that is free, unless one already taken is acceptable as it is (`accepts`: a file holding this very
 * content, which makes the download unnecessary; a folder to merge into).
 */
export async function localSlot(path: string, accepts: (candidate: string) => Promise<boolean>): Promise<{path: string; skipped: boolean}> {
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? path : numberedName(path, i)
    // Synchronous: an asynchronous stat wakes a thread-pool thread, which on this project's VMs cost more of a small
    // file's download than the call itself (perf: futex wake-ups under uv_fs_stat; 10,000 1 KiB files).
    if (!statOrNothing(candidate)) return {path: candidate, skipped: false}
    if (await accepts(candidate)) return {path: candidate, skipped: true}
  }
}
