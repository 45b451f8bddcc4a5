import {mkdir, stat, utimes} from 'node:fs/promises'
import {CommandError} from '../errors.js'
import type {ApiClient} from '../api/client.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {TransferProgress} from '../transfer/progress.js'
import {transferEngine} from './transfer-engine.js'
import {childPath, localSlot} from './local-names.js'
import {localFileMatches} from './local-match.js'
import {runLimited} from './upload.js'

export interface DownloadOptions {
  connections?: number
  parallelFiles?: number
  /** Progress of each file, keyed by its local path. */
  onProgress?: (localPath: string, progress: TransferProgress) => void
  /** Stops the transfers (Ctrl-C); the engine removes its temporary files. */
  signal?: AbortSignal
}

interface DownloadUrlReply {
  g: string | string[]
  s: number
  at?: string
  e?: number
}

/**
 * Asks for a download URL with `g` (mega-api.md §5.3): `n` for a node of ours, `p` for a public file link.
 * The engine then fetches, decrypts and MAC-checks the data into a temporary file and renames it.
 */
export async function requestDownload(api: ApiClient, target: {n: string} | {p: string}): Promise<{url: string; size: number; at?: string}> {
  const reply = await api.request<DownloadUrlReply>({a: 'g', g: 1, ssl: 0, ...target})
  if (typeof reply.e === 'number' && reply.e < 0) throw new CommandError(`Download failed: the server refused it (error ${reply.e})`, Math.abs(reply.e))
  const url = Array.isArray(reply.g) ? reply.g[0] : reply.g
  if (typeof url !== 'string' || !url.startsWith('http')) throw new CommandError('Download failed: the server sent no download URL', 59)
  return {url, size: reply.s, at: reply.at}
}

export async function downloadFile(ctx: MegaContext, node: MegaNode, destination: string, options: DownloadOptions = {}): Promise<void> {
  if (!node.key) throw new CommandError(`Cannot download ${node.name}: its key is unknown`, 14)
  const {url, size} = await requestDownload(ctx.api, {n: node.handle})
  const {downloadData} = await transferEngine()
  await downloadData({url, size, fileKey: node.key, destination, connections: options.connections, signal: options.signal, onProgress: (p) => options.onProgress?.(destination, p)})
  // Keep the file's own modification time, as the SDK does after a download.
  if (node.mtime) await utimes(destination, node.mtime, node.mtime).catch(() => undefined)
}

/**
 * A file to `destination`, or a folder (recursively) created at `destination`. An existing local file is never
 * overwritten: one with the same content is skipped, a different one kept, the download taking the name
 * `name (1).ext` (MEGAcmd's get). Returns the path the file ended at (for a folder, `destination`).
 */
export async function downloadNode(ctx: MegaContext, node: MegaNode, destination: string, options: DownloadOptions = {}): Promise<{path: string; skipped: boolean}> {
  if (node.type === NodeType.FILE) {
    const slot = await localSlot(destination, (candidate) => localFileMatches(candidate, node))
    if (!slot.skipped) await downloadFile(ctx, node, slot.path, options)
    return slot
  }
  await mkdir(destination, {recursive: true})
  const files: MegaNode[] = []
  for (const child of ctx.nodes.children(node.handle)) {
    if (child.type === NodeType.FILE) files.push(child)
    else await downloadNode(ctx, child, childPath(destination, child.name), options)
  }
  // MEGA allows several files of one name in a folder: those go one after the other, so each finds the
  // previous one on disk and takes the next free name.
  const byName = new Map<string, MegaNode[]>()
  for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file])
  await runLimited([...byName.values()], options.parallelFiles ?? 4, async (group) => {
    for (const file of group) await downloadNode(ctx, file, childPath(destination, file.name), options)
  })
  return {path: destination, skipped: false}
}

/** Total bytes under a remote node. */
export function remoteSize(ctx: MegaContext, node: MegaNode): number {
  if (node.type === NodeType.FILE) return node.size
  return ctx.nodes.children(node.handle).reduce((sum, child) => sum + remoteSize(ctx, child), 0)
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
