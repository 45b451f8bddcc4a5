import {type Dirent, lstatSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {isTransferTempName} from '@mega-shell/core'
import type {IgnoreRules} from '../ignore/ignore-rules.js'
import {EntryKind} from '../state/sync-store.js'
import {LOCAL_DEBRIS} from './local-debris.js'

/** A file or folder under a sync's local root. */
export interface LocalEntry {
  /** The key both sides meet under: relative, `/`-separated, NFC (sync-store.ts SyncedEntry.path). */
  path: string
  /** The names as they are on disk (NFD on some file systems), for file-system calls. */
  rel: string
  kind: EntryKind
  size: number
  mtimeMs: number
  inode: number
}

/** Something under the root that the sync leaves alone, and says why (a sync issue). */
export interface ScanProblem {
  path: string
  reason: 'symlink' | 'special' | 'unreadable' | 'name-clash'
  detail?: string
}

export interface LocalScan {
  entries: Map<string, LocalEntry>
  problems: ScanProblem[]
}

/**
 * Everything under `root` that the sync covers: not the local debris, not a download's temporary file, not what
 * the `.megaignore` rules exclude. Symbolic links are not followed (nor synced: the SDK reports them as a stall,
 * "Detected symlink"), nor are sockets and devices. Synchronous calls, as for the transfers' small files: on this
 * kind of machine each asynchronous fs call costs a thread-pool wake-up worth more than the call (upload.ts).
 * Names are compared in NFC, as the SDK compares local and cloud names (LocalPath::toName normalises); two local
 * names equal in NFC cannot both be synced and are an issue.
 */
export function scanLocal(root: string, rules: IgnoreRules): LocalScan {
  const entries = new Map<string, LocalEntry>()
  const problems: ScanProblem[] = []
  const walk = (dir: string, rel: string, key: string): void => {
    let children: Dirent[]
    try {
      children = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      if (rel !== '') problems.push({path: key, reason: 'unreadable', detail: (error as Error).message})
      else throw error
      return
    }
    for (const child of children) {
      const name = child.name
      if (rel === '' && name === LOCAL_DEBRIS) continue
      if (isTransferTempName(name)) continue
      const nfc = name.normalize('NFC')
      const childKey = rel === '' ? nfc : `${key}/${nfc}`
      // One string for both when the names are already NFC (nearly always): a scan of 100,000 entries holds half as many.
      const childRel = nfc === name && rel === key ? childKey : rel === '' ? name : `${rel}/${name}`
      const path = join(dir, name)
      if (child.isSymbolicLink()) {
        if (!rules.excludes(childKey, 'symlink')) problems.push({path: childKey, reason: 'symlink'})
        continue
      }
      const folder = child.isDirectory()
      if (!folder && !child.isFile()) {
        problems.push({path: childKey, reason: 'special'})
        continue
      }
      let info
      try {
        info = lstatSync(path)
      } catch {
        // Gone since readdir: the next pass sees what replaced it.
        continue
      }
      if (rules.excludes(childKey, folder ? 'folder' : 'file', info.size)) continue
      if (entries.has(childKey)) {
        problems.push({path: childKey, reason: 'name-clash', detail: 'two local names are the same in Unicode NFC'})
        continue
      }
      entries.set(childKey, {path: childKey, rel: childRel, kind: folder ? EntryKind.FOLDER : EntryKind.FILE, size: folder ? 0 : info.size, mtimeMs: info.mtimeMs, inode: info.ino})
      if (folder) walk(path, childRel, childKey)
    }
  }
  walk(root, '', '')
  return {entries, problems}
}
