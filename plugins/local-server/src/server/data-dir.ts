import {mkdirSync} from 'node:fs'
import {CommandError, ExitCode} from '@mega-shell/core'

/**
 * Makes sure a data folder exists (created owner-only, like every folder the server makes), with one clear
 * line when it cannot: 55 (MEGAcmd's "invalid type") for a path that is a file, 56 for one this user may not
 * create.
 */
export function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, {recursive: true, mode: 0o700})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // EEXIST: the path is a file (an existing folder is no error); ENOTDIR: one of its parents is.
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new CommandError(`The data folder ${dataDir} is not a folder`, ExitCode.INVALIDTYPE)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new CommandError(`Cannot create the data folder ${dataDir}: permission denied`, ExitCode.NOTPERMITTED)
    }
    throw error
  }
}
