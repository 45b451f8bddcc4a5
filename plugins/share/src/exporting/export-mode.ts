import {parseTimeDelay, timeAfter, UsageError} from '@mega-shell/core'

/** The flags of `export` as parsed. */
export interface ExportFlags {
  add: boolean
  delete: boolean
  force: boolean
  writable: boolean
  password?: string
  expire?: string
}

/** What `export` does: add links (with their settings), delete them, or list them. */
export type ExportMode =
  | {kind: 'add'; force: boolean; writable: boolean; password?: string; expires?: number}
  | {kind: 'delete'}
  | {kind: 'list'}

/**
 * Checks the flags in MEGAcmd's order (megacmdexecuter.cpp "export"), each failure one line and 51: a TIMEDELAY
 * that does not parse ("Invalid time <x>"), then an add-only option without -a ("Option can only be used when
 * adding an export (with -a)"), then an empty password ("Password cannot be empty"). -a wins over -d, as there.
 * The expiry is the TIMEDELAY after now, by the calendar (getTimeStampAfter).
 */
export function exportMode(flags: ExportFlags, now = Math.floor(Date.now() / 1000)): ExportMode {
  let expires: number | undefined
  if (flags.expire !== undefined) {
    try {
      expires = timeAfter(now, parseTimeDelay(flags.expire))
    } catch {
      throw new UsageError(`Invalid time ${flags.expire}`)
    }
  }
  if (!flags.add && (flags.password !== undefined || expires !== undefined || flags.force || flags.writable)) {
    throw new UsageError('Option can only be used when adding an export (with -a)')
  }
  if (flags.password === '') throw new UsageError('Password cannot be empty')
  if (flags.add) return {kind: 'add', force: flags.force, writable: flags.writable, password: flags.password, expires}
  return flags.delete ? {kind: 'delete'} : {kind: 'list'}
}
