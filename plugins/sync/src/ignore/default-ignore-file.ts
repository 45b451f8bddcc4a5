import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {DEFAULT_MEGAIGNORE} from './ignore-rules.js'

/** The ignore file of a sync's root folder. */
export const IGNORE_FILE = '.megaignore'
/** MEGAcmd's `~/.megaCmd/.megaignore.default`: the rules a new sync starts with (`sync-ignore … DEFAULT`, `exclude`). */
export const DEFAULT_IGNORE_FILE = '.megaignore.default'

export function defaultIgnorePath(home: string): string {
  return join(home, DEFAULT_IGNORE_FILE)
}

/**
 * A new sync whose folders have no `.megaignore` yet gets the default one, as the SDK writes it
 * (Syncs::confirmOrCreateDefaultMegaignore): the profile's `.megaignore.default` when there is one, else the SDK's
 * default text. A sync whose cloud folder has one already takes that one in its first pass instead.
 */
export function writeDefaultIgnoreFile(home: string, localRoot: string, remoteHasOne: boolean): void {
  const custom = defaultIgnorePath(home)
  // MEGAcmd makes its `.megaignore.default` with the first sync ("will be created when a new sync is added").
  if (!existsSync(custom)) writeFileSync(custom, DEFAULT_MEGAIGNORE, {mode: 0o600})
  const target = join(localRoot, IGNORE_FILE)
  if (remoteHasOne || existsSync(target)) return
  writeFileSync(target, readFileSync(custom), {flag: 'wx'})
}
