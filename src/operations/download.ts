import {mkdir, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {CommandError} from '../errors.js'
import type {ApiClient} from '../api/client.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {TransferProgress} from '../transfer/progress.js'
import {removeStalePartials, resumablePartialPathFor} from '../transfer/partial-files.js'
import type {FileResume, ResumeBook} from '../transfer/resume-point.js'
import {transferEngine} from './transfer-engine.js'
import {localChild, localSlot, type RenameReason} from './local-names.js'
import {localFileMatches} from './local-match.js'
import {runBySize} from './parallel-files.js'
import {transferSsl} from '../transfer/transfer-ssl.js'
import {TransferQuotaError} from '../transfer/transfer-errors.js'

export interface DownloadOptions {
  connections?: number
  parallelFiles?: number
  /** Progress of each file, keyed by its local path. */
  onProgress?: (localPath: string, progress: TransferProgress) => void
  /** Stops the transfers (Ctrl-C); the engine removes its temporary files. */
  signal?: AbortSignal
  /** Hears of each item saved under another name than its remote one (see LocalRename). */
  onRename?: (rename: LocalRename) => void
  /** Keeps each file's resume point, so that an interrupted download continues where it stopped (the transfer queue). */
  resume?: ResumeBook
}

interface DownloadUrlReply {
  g?: string | string[]
  s: number
  at?: string
  e?: number
  /** With e = -17: seconds until the transfer quota lets the download start. */
  tl?: number
}

/**
 * Asks for a download URL with `g` (mega-api.md §5.3): `n` for a node of ours, `p` for a public file link.
 * The engine then fetches, decrypts and MAC-checks the data into a temporary file and renames it.
 */
export async function requestDownload(api: ApiClient, target: {n: string} | {p: string}): Promise<{url: string; size: number; at?: string}> {
  const reply = await api.request<DownloadUrlReply>({a: 'g', g: 1, ssl: transferSsl(), ...target})
  // Over the transfer quota the reply has no URL but e = -17 and tl, the seconds to wait (the SDK's
  // CommandGetFile::procresult reads both; a reply with a URL is downloaded whatever its e).
  if (reply.e === -17 && !reply.g) throw new TransferQuotaError(typeof reply.tl === 'number' ? reply.tl : undefined)
  if (typeof reply.e === 'number' && reply.e < 0 && !reply.g) throw new CommandError(`Download failed: the server refused it (error ${reply.e})`, Math.abs(reply.e))
  const url = Array.isArray(reply.g) ? reply.g[0] : reply.g
  if (typeof url !== 'string' || !url.startsWith('http')) throw new CommandError('Download failed: the server sent no download URL', 59)
  return {url, size: reply.s, at: reply.at}
}

export async function downloadFile(ctx: MegaContext, node: MegaNode, destination: string, options: DownloadOptions = {}): Promise<void> {
  if (!node.key) throw new CommandError(`Cannot download ${node.name}: its key is unknown`, 14)
  const {url, size} = await requestDownload(ctx.api, {n: node.handle})
  const {downloadData} = await transferEngine()
  await downloadData({
    url, size, fileKey: node.key, destination, mtime: node.mtime ?? undefined, connections: options.connections, signal: options.signal, onProgress: (p) => options.onProgress?.(destination, p),
    resumable: options.resume && (await resumableDownload(options.resume.file(`download:${destination}`, `${node.handle}:${size}`), destination)),
  })
}

/** The partial file of an earlier attempt and the chunks it holds, when it is still there; else a new one. */
async function resumableDownload(resume: FileResume, destination: string) {
  const saved = resume.load()
  const usable = saved?.partial !== undefined && (await stat(saved.partial).catch(() => undefined))?.isFile() === true
  const partial = usable ? saved.partial! : resumablePartialPathFor(destination)
  if (!usable) resume.begin({partial})
  return {partial, chunks: usable ? saved.chunks : new Map<number, Buffer>(), onChunksDone: (first: number, macs: Buffer) => resume.chunksDone(first, macs)}
}

/**
 * Whether downloading `bytes` now would exceed the account's transfer quota: `qbq` (the SDK's
 * CommandQueryTransferQuota, which MEGAcmd's get sends before a download unless --ignore-quota-warn). The answer is
 * 0 when the quota suffices; 1-3 say why it does not (the webclient's js/transfers/queue.js spells them out).
 */
export async function exceedsTransferQuota(api: ApiClient, bytes: number): Promise<boolean> {
  const answer = await api.request<number>({a: 'qbq', s: bytes})
  return typeof answer === 'number' && answer > 0
}

/** Where one remote item goes: into a local folder under its own name, or to a path the user chose. */
export type DownloadTarget = {into: string} | {path: string}

/** The local path `target` gives an item named `remoteName`, and why it is not that name when it cannot be. */
export function targetPath(target: DownloadTarget, remoteName: string): {path: string; reason?: RenameReason} {
  return 'into' in target ? localChild(target.into, remoteName) : {path: target.path}
}

/** An item saved under another name than its remote one, because that name cannot exist locally. */
export interface LocalRename {
  node: MegaNode
  local: string
  reason: RenameReason
}

/**
 * A file, or a folder (recursively). An existing local file is never overwritten: one with the same content is
 * skipped, a different one kept, the download taking the name `name (1).ext` (MEGAcmd's get). A folder merges
 * into an existing local folder; one whose name a local file holds takes `name (1)`. Remote names that cannot
 * exist locally (too long, `/`, `..`) are changed (options.onRename hears of each) and never lead outside the
 * target folder. Returns the path the item ended at.
 */
export function downloadNode(ctx: MegaContext, node: MegaNode, target: DownloadTarget, options: DownloadOptions = {}): Promise<{path: string; skipped: boolean}> {
  return new FolderDownload(ctx, options).item(node, target)
}

/** One command's download, which sweeps each local folder of stale partial files once. */
class FolderDownload {
  private readonly swept = new Set<string>()

  constructor(private readonly ctx: MegaContext, private readonly options: DownloadOptions) {}

  async item(node: MegaNode, target: DownloadTarget): Promise<{path: string; skipped: boolean}> {
    const {path, reason} = targetPath(target, node.name)
    if (node.type === NodeType.FILE) {
      await this.sweep(dirname(path))
      const slot = await localSlot(path, (candidate) => localFileMatches(candidate, node))
      if (reason) this.options.onRename?.({node, local: slot.path, reason})
      if (!slot.skipped) await downloadFile(this.ctx, node, slot.path, this.options)
      return slot
    }
    const slot = await localSlot(path, isDirectory)
    const renamed = slot.path !== path ? 'a local file has this name' : reason
    if (renamed) this.options.onRename?.({node, local: slot.path, reason: renamed})
    await mkdir(slot.path, {recursive: true})
    await this.children(node, slot.path)
    return {path: slot.path, skipped: false}
  }

  private async children(folder: MegaNode, local: string): Promise<void> {
    const files: MegaNode[] = []
    for (const child of this.ctx.nodes.children(folder.handle)) {
      if (child.type === NodeType.FILE) files.push(child)
      else await this.item(child, {into: local})
    }
    // MEGA allows several files of one name in a folder: those go one after the other, so each finds the
    // previous one on disk and takes the next free name.
    const byName = new Map<string, MegaNode[]>()
    for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file])
    await runBySize([...byName.values()], (group) => Math.max(...group.map((file) => file.size)), this.options.parallelFiles, async (group) => {
      for (const file of group) await this.item(file, {into: local})
    })
  }

  /** Partial files left by dead downloads go the first time this command writes into their folder. */
  private async sweep(dir: string): Promise<void> {
    if (this.swept.has(dir)) return
    this.swept.add(dir)
    await removeStalePartials(dir)
  }
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
