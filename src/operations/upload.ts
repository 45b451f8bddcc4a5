import {randomBytes} from 'node:crypto'
import {readdir, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {encryptAttributes} from '../crypto/attributes.js'
import {fileFingerprint, fingerprintCrc} from '../crypto/fingerprint.js'
import {b64encode} from '../crypto/base64.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, NotFoundError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {TransferProgress} from '../transfer/progress.js'
import {transferEngine} from './transfer-engine.js'
import {newFolder, type NewNode, putNodes} from './remote-ops.js'

export interface UploadOptions {
  /** Parallel connections per file. */
  connections?: number
  /** Files uploaded at the same time when a folder is uploaded. */
  parallelFiles?: number
  /** Progress of each file, keyed by its local path (files of a folder go up in parallel). */
  onProgress?: (localPath: string, progress: TransferProgress) => void
  /** Stops the transfers (Ctrl-C); the engine cleans up what it started. */
  signal?: AbortSignal
}

/**
 * One file: `u` gives an upload URL for the size, the engine encrypts and sends the data, and `p` creates the
 * node with the completion token, the key under our master key and the encrypted name (mega-api.md §5.1
 * steps 1-6; megajs and megatools send `u` with ssl:0 and v:2, which asks for the 36-byte binary token).
 */
export async function uploadFile(ctx: MegaContext, localPath: string, parent: MegaNode, name: string, options: UploadOptions = {}): Promise<MegaNode> {
  const masterKey = ctx.requireWritable()
  const info = await stat(localPath)
  const mtime = Math.floor(info.mtimeMs / 1000)
  const fingerprint = await fileFingerprint(localPath, info.size, mtime)
  const same = identicalFile(ctx, parent, name, info.size, fingerprint, mtime)
  if (same) return same
  const {p: url} = await ctx.api.request<{p: string}>({a: 'u', ssl: 0, s: info.size, ms: 0, r: 0, e: 0, v: 2})
  const {uploadData} = await transferEngine()
  const {completionTokenBytes, fileKey} = await uploadData({url, source: localPath, size: info.size, connections: options.connections, signal: options.signal, onProgress: (p) => options.onProgress?.(localPath, p)})
  const [node] = await putNodes(ctx, parent, [{
    h: b64encode(completionTokenBytes),
    t: NodeType.FILE,
    a: encryptAttributes(foldKey(fileKey), {n: name, c: fingerprint}),
    k: encryptNodeKey(masterKey, fileKey),
  }])
  return node
}

/**
 * An existing file with the same name, size and fingerprint (CRCs, and mtime within 2 s as the SDK's
 * FileFingerprint comparison allows) is not uploaded again (SDK behaviour MEGAcmd inherits).
 */
function identicalFile(ctx: MegaContext, parent: MegaNode, name: string, size: number, fingerprint: string, mtime: number): MegaNode | undefined {
  const crc = fingerprintCrc(fingerprint)
  return ctx.nodes.childrenNamed(parent.handle, name).find((node) =>
    node.type === NodeType.FILE && node.size === size && typeof node.attrs.c === 'string' &&
    fingerprintCrc(node.attrs.c).equals(crc) && node.mtime !== null && Math.abs(node.mtime - mtime) <= 2)
}

/** Total bytes of the regular files under a local path (for one progress bar over a folder). */
export async function localSize(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  let total = 0
  for (const entry of await readdir(path, {withFileTypes: true})) {
    if (entry.isDirectory() || entry.isFile()) total += await localSize(join(path, entry.name))
  }
  return total
}

/** A local folder as it will be uploaded. */
interface LocalFolder {
  name: string
  folders: LocalFolder[]
  files: Array<{path: string; name: string}>
}

async function scanFolder(path: string, name: string): Promise<LocalFolder> {
  const folder: LocalFolder = {name, folders: [], files: []}
  for (const entry of await readdir(path, {withFileTypes: true})) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) folder.folders.push(await scanFolder(child, entry.name))
    else if (entry.isFile()) folder.files.push({path: child, name: entry.name})
  }
  return folder
}

/**
 * A file or a whole folder (recursively, keeping its own name) into `parent` under `name`. The folder
 * structure is made first — every missing subtree in one `p` request, its nodes naming each other's
 * placeholder handles as parents (mega-api.md §4.3) — then the files go up a few at a time. Folders that
 * already exist are reused, so uploading a grown tree again merges into it. Returns the top node.
 */
export async function uploadPath(ctx: MegaContext, localPath: string, parent: MegaNode, name = basename(localPath), options: UploadOptions = {}): Promise<MegaNode> {
  let info
  try {
    info = await stat(localPath)
  } catch {
    throw new NotFoundError(`Unable to open local path: ${localPath}`)
  }
  if (!info.isDirectory()) return uploadFile(ctx, localPath, parent, name, options)
  const files: Array<{path: string; name: string; folder: MegaNode}> = []
  const top = await materialize(ctx, await scanFolder(localPath, name), parent, files)
  await runLimited(files, options.parallelFiles ?? 4, (file) => uploadFile(ctx, file.path, file.folder, file.name, options))
  return top
}

/** Finds or creates the remote folders of `local` under `parent`, collecting where each file goes. */
async function materialize(ctx: MegaContext, local: LocalFolder, parent: MegaNode, files: Array<{path: string; name: string; folder: MegaNode}>): Promise<MegaNode> {
  const existing = existingFolder(ctx, parent, local.name)
  if (existing) {
    for (const file of local.files) files.push({...file, folder: existing})
    for (const sub of local.folders) await materialize(ctx, sub, existing, files)
    return existing
  }
  const batch: NewNode[] = []
  const order: LocalFolder[] = []
  const add = (folder: LocalFolder, parentRef?: string) => {
    // The SDK sends a random 6-byte handle as the placeholder (mega-api.md §4.3).
    const ref = b64encode(randomBytes(6))
    batch.push({...newFolder(ctx, folder.name, ref), ...(parentRef ? {p: parentRef} : {})})
    order.push(folder)
    for (const sub of folder.folders) add(sub, ref)
  }
  add(local)
  const created = await putNodes(ctx, parent, batch)
  if (created.length !== batch.length) throw new CommandError('The server did not create every folder', 59)
  created.forEach((node, i) => order[i].files.forEach((file) => files.push({...file, folder: node})))
  return created[0]
}

function existingFolder(ctx: MegaContext, parent: MegaNode, name: string): MegaNode | undefined {
  return ctx.nodes.childrenNamed(parent.handle, name).find((n) => n.type === NodeType.FOLDER)
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects once all settle. */
export async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  let failure: unknown
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (error) {
        failure ??= error
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  if (failure !== undefined) throw failure
}
