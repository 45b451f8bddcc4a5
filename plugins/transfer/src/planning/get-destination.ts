import {mkdir, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {CommandError, type DownloadTarget, ExitCode} from '@mega-shell/core'

/**
 * Where `get` writes one remote item (megacmd-reference.md §6.4 get): into `dest` when it is a folder, else
 * as `dest` itself (files only; its folder must exist). One step beyond MEGAcmd, which refuses it: a folder
 * fetched into a missing `dest` whose parent exists creates `dest` (`get /a/photos ./restore` gives
 * ./restore/photos), the natural reading of the command.
 */
export async function downloadTarget(dest: string, isFolder: boolean): Promise<DownloadTarget> {
  const info = await stat(dest).catch(() => undefined)
  if (info?.isDirectory()) return {into: dest}
  const parent = await stat(dirname(dest)).catch(() => undefined)
  if (isFolder) {
    if (info || !parent?.isDirectory()) throw new CommandError(`${dest} is not a valid Download Folder`, ExitCode.INVALIDTYPE)
    await mkdir(dest)
    return {into: dest}
  }
  if (!parent?.isDirectory()) throw new CommandError(`${dirname(dest)} is not a valid Download Folder`, ExitCode.INVALIDTYPE)
  return {path: dest}
}

/**
 * `get -m`: a folder merges into `dest` itself rather than arriving inside it as a new folder (MEGAcmd's "merge":
 * `get -m /a/photos ./photos` fills ./photos). Files already there with the same content are skipped, different
 * ones kept (the download takes `name (1)`), as for any download. A missing `dest` whose parent exists is made.
 */
export async function mergeTarget(dest: string): Promise<DownloadTarget> {
  const info = await stat(dest).catch(() => undefined)
  if (info?.isDirectory()) return {path: dest}
  if (info || !(await stat(dirname(dest)).catch(() => undefined))?.isDirectory()) throw new CommandError(`${dest} is not a valid Download Folder`, ExitCode.INVALIDTYPE)
  await mkdir(dest)
  return {path: dest}
}
