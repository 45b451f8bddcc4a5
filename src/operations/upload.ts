import {readdir, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {encryptAttributes} from '../crypto/attributes.js'
import {fileFingerprint, fingerprintCrc} from '../crypto/fingerprint.js'
import {b64encode} from '../crypto/base64.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {CommandError, NotFoundError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import {mtimeFromFingerprint} from '../tree/node-decoder.js'
import {uploadData, type TransferProgress} from '../transfer/index.js'
import {createFolder, putNodes} from './remote-ops.js'

export interface UploadOptions {
  /** Parallel connections per file. */
  connections?: number
  /** Files uploaded at the same time when a folder is uploaded. */
  parallelFiles?: number
  /** Progress of each file, keyed by its local path (files of a folder go up in parallel). */
  onProgress?: (localPath: string, progress: TransferProgress) => void
}

/**
 * One file: `u` gives an upload URL for the size, the engine encrypts and sends the data, and `p` creates the
 * node with the completion token, the key under our master key and the encrypted name (mega-api.md §5.1
 * steps 1-6; megajs and megatools send `u` with ssl:0 and v:2, which asks for the 36-byte binary token).
 */
export async function uploadFile(ctx: MegaContext, localPath: string, parent: MegaNode, name: string, options: UploadOptions = {}): Promise<MegaNode> {
  const masterKey = ctx.masterKey
  if (!masterKey) throw new CommandError('Not logged in.', 57)
  const info = await stat(localPath)
  const fingerprint = await fileFingerprint(localPath, info.size, info.mtimeMs / 1000)
  const same = identicalFile(ctx, parent, name, info.size, fingerprint)
  if (same) return same
  const {p: url} = await ctx.api.request<{p: string}>({a: 'u', ssl: 0, s: info.size, ms: 0, r: 0, e: 0, v: 2})
  const {completionTokenBytes, fileKey} = await uploadData({url, source: localPath, size: info.size, connections: options.connections, onProgress: (p) => options.onProgress?.(localPath, p)})
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
function identicalFile(ctx: MegaContext, parent: MegaNode, name: string, size: number, fingerprint: string): MegaNode | undefined {
  const crc = fingerprintCrc(fingerprint)
  const mtime = mtimeOf(fingerprint)
  return ctx.nodes.childrenNamed(parent.handle, name).find((node) =>
    node.type === NodeType.FILE && node.size === size && typeof node.attrs.c === 'string' &&
    fingerprintCrc(node.attrs.c).equals(crc) && node.mtime !== null && Math.abs(node.mtime - mtime) <= 2)
}

function mtimeOf(fingerprint: string): number {
  return mtimeFromFingerprint({c: fingerprint}) ?? 0
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

/**
 * A file or a whole folder (recursively, keeping its own name) into `parent` under `name`. Folders are made
 * first, then their files go up a few at a time. Returns the top node.
 */
export async function uploadPath(ctx: MegaContext, localPath: string, parent: MegaNode, name = basename(localPath), options: UploadOptions = {}): Promise<MegaNode> {
  let info
  try {
    info = await stat(localPath)
  } catch {
    throw new NotFoundError(`Unable to open local path: ${localPath}`)
  }
  if (!info.isDirectory()) return uploadFile(ctx, localPath, parent, name, options)
  const folder = existingFolder(ctx, parent, name) ?? (await createFolder(ctx, parent, name))
  const files: Array<{path: string; name: string}> = []
  for (const entry of await readdir(localPath, {withFileTypes: true})) {
    const path = join(localPath, entry.name)
    if (entry.isDirectory()) await uploadPath(ctx, path, folder, entry.name, options)
    else if (entry.isFile()) files.push({path, name: entry.name})
  }
  await runLimited(files, options.parallelFiles ?? 4, (file) => uploadFile(ctx, file.path, folder, file.name, options))
  return folder
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
