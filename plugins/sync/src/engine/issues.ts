import {createHash} from 'node:crypto'
import type {ScanProblem} from '../local/local-scan.js'
import type {RemoteProblem} from '../remote/remote-snapshot.js'
import type {IssuePath, SyncIssue} from '../service/sync-protocol.js'

/**
 * A sync issue (MEGAcmd's sync-issues row). Its id is derived from the sync and the reason, so that a pass finding
 * the same problem again keeps the same id for the user to ask `--detail` about.
 */
export function issue(syncId: string, reason: string, paths: IssuePath[], description?: string): SyncIssue {
  const id = createHash('sha256').update(`${syncId}\0${reason}`).digest('base64url').slice(0, 8)
  return {id, syncId, reason, ...(description ? {description} : {}), raised: Date.now(), paths}
}

/** MEGAcmd's wording for what a scan of either side left alone (its SyncStallReason texts, megacmd-reference.md). */
export function issuesOfProblems(syncId: string, local: ScanProblem[], remote: RemoteProblem[]): SyncIssue[] {
  const found: SyncIssue[] = []
  const at = (path: string, cloud: boolean, problem?: string): IssuePath => ({path, cloud, type: null, mtime: null, size: null, ...(problem ? {problem} : {})})
  for (const p of local) {
    if (p.reason === 'symlink') found.push(issue(syncId, `Detected symlink: '${p.path}'`, [at(p.path, false, 'symbolic links are not synced')]))
    else if (p.reason === 'special') found.push(issue(syncId, `Can't sync '${p.path}'`, [at(p.path, false, 'not a regular file or folder')]))
    else if (p.reason === 'unreadable') found.push(issue(syncId, `Can't sync '${p.path}'`, [at(p.path, false, p.detail ?? 'cannot be read')]))
    else found.push(issue(syncId, `Name conflicts: '${p.path}'`, [at(p.path, false, p.detail)], 'Two local names differ only in their Unicode form; neither is synced until one is renamed.'))
  }
  for (const p of remote) {
    if (p.reason === 'name-clash') found.push(issue(syncId, `Name conflicts: '${p.path}'`, [at(p.path, true, 'several cloud items have this name')], 'The cloud folder holds several items of this name; none is synced until all but one are renamed or removed.'))
    else if (p.reason === 'bad-name') found.push(issue(syncId, `Can't download '${p.path}' to the selected location`, [at(p.path, true, 'this name cannot be a local file name')]))
    else found.push(issue(syncId, `Can't sync '${p.path}'`, [at(p.path, true, 'its key is unknown (undecryptable)')]))
  }
  return found
}
