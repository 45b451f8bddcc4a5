import {realpathSync} from 'node:fs'
import {resolve} from 'node:path'
import type {SyncListing} from '../service/sync-protocol.js'

/**
 * The sync that an `ID|localpath` argument names (MEGAcmd SyncCommand::getSync): by ID first, then by local path,
 * relative ones to the caller's cwd, as typed or with its symbolic links resolved (the service stores real paths).
 */
export function findSync(syncs: readonly SyncListing[], target: string): SyncListing | undefined {
  const byId = syncs.find((sync) => sync.id === target)
  if (byId) return byId
  const path = resolve(target)
  let real: string | undefined
  try {
    real = realpathSync(path)
  } catch {}
  return syncs.find((sync) => sync.localPath === path || sync.localPath === real)
}
