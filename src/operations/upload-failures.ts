import {ExitCode} from '../errors.js'

/** A local item an upload left out, and why; the upload carries on with everything else. */
export interface UploadFailure {
  /** The local path (bytes of a name that are not UTF-8 shown as `\xNN`). */
  local: string
  reason: string
  exitCode: number
}

/** An error of the local file system about one path (unreadable, vanished), as opposed to a remote or network one. */
export function isLocalFileError(error: unknown): error is NodeJS.ErrnoException & {path: string} {
  const candidate = error as NodeJS.ErrnoException | undefined
  return typeof candidate?.code === 'string' && typeof candidate.path === 'string'
}

export function localFileFailure(local: string, error: NodeJS.ErrnoException): UploadFailure {
  if (error.code === 'EACCES' || error.code === 'EPERM') return {local, reason: 'Permission denied', exitCode: ExitCode.NOTPERMITTED}
  if (error.code === 'ENOENT') return {local, reason: 'No such file or directory', exitCode: ExitCode.NOTFOUND}
  return {local, reason: error.message, exitCode: ExitCode.EUNEXPECTED}
}

/**
 * MEGA names are UTF-8 text, and a name that is not cannot be stored without changing it, so the item is
 * left out. 55 (INVALIDTYPE, "Invalid type") is MEGAcmd's code for an item that cannot go where it was
 * asked to; it keeps the case apart from 53 (missing) and 56 (permission) for scripts.
 */
export function nameNotUtf8Failure(local: string): UploadFailure {
  return {local, reason: 'its name is not valid UTF-8 (MEGA names are UTF-8)', exitCode: ExitCode.INVALIDTYPE}
}

/** Failures in path order, so the report and the exit code (the first one's) do not depend on timing. */
export function inPathOrder(failures: UploadFailure[]): UploadFailure[] {
  return [...failures].sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : 0))
}
