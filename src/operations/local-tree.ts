import {isUtf8} from 'node:buffer'
import {statSync, type Dirent} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import type {FolderTree} from './remote-ops.js'
import {isLocalFileError, localFileFailure, nameNotUtf8Failure, type UploadFailure} from './upload-failures.js'

export interface LocalFile {
  path: string
  /** The name it gets remotely. */
  name: string
  size: number
}

export interface LocalFolder extends FolderTree {
  folders: LocalFolder[]
  files: LocalFile[]
}

/** A local path as `put` will upload it: what can go up, its size, and what cannot go up (with the reason). */
export interface LocalSource {
  /** Undefined when nothing of it can be uploaded (an unreadable folder). */
  item?: LocalFile | LocalFolder
  size: number
  failures: UploadFailure[]
}

export function isLocalFolder(item: LocalFile | LocalFolder): item is LocalFolder {
  return 'folders' in item
}

/**
 * Reads a file or a whole folder (regular files and folders; symbolic links and devices are left out). Directory
 * entries are read as bytes, because Node turns a name that is not UTF-8 into a different string with U+FFFD
 * in it: such a name would then be uploaded mangled, or fail as "not found" when opened.
 */
export async function scanLocal(path: string, name: string): Promise<LocalSource> {
  const source: LocalSource = {size: 0, failures: []}
  source.item = await scanItem(path, name, source, (await stat(path)).isDirectory())
  return source
}

/** One file or folder; undefined (and a failure noted) when it cannot be read. */
async function scanItem(path: string, name: string, source: LocalSource, isFolder: boolean): Promise<LocalFile | LocalFolder | undefined> {
  try {
    if (isFolder) return await scanFolder(path, name, source)
    // Synchronous, as every per-file call of a folder transfer: an asynchronous one wakes a thread-pool thread,
    // which on this project's VMs cost more than the call (perf: futex wake-ups; 10,000 1 KiB files).
    const {size} = statSync(path)
    source.size += size
    return {path, name, size}
  } catch (error) {
    if (!isLocalFileError(error)) throw error
    source.failures.push(localFileFailure(path, error))
    return undefined
  }
}

async function scanFolder(path: string, name: string, source: LocalSource): Promise<LocalFolder> {
  const entries: Array<Dirent<Buffer>> = await readdir(path, {withFileTypes: true, encoding: 'buffer'})
  const children = await Promise.all(entries.map((entry) => {
    if (!entry.isDirectory() && !entry.isFile()) return undefined
    if (!isUtf8(entry.name)) return void source.failures.push(nameNotUtf8Failure(join(path, printableName(entry.name))))
    const childName = entry.name.toString('utf8')
    return scanItem(join(path, childName), childName, source, entry.isDirectory())
  }))
  const folder: LocalFolder = {name, folders: [], files: []}
  for (const child of children) {
    if (child && isLocalFolder(child)) folder.folders.push(child)
    else if (child) folder.files.push(child)
  }
  return folder
}

/** The name with each byte that is not part of a UTF-8 character written as `\xNN`. */
function printableName(bytes: Buffer): string {
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const length = [1, 2, 3, 4].find((n) => i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n)))
    if (length) {
      out += bytes.toString('utf8', i, i + length)
      i += length
    } else {
      out += `\\x${bytes[i].toString(16).padStart(2, '0')}`
      i++
    }
  }
  return out
}
