import {stat} from 'node:fs/promises'
import {basename} from 'node:path'
import {
  CommandError, downloadNode, ExitCode, type MegaContext, type MegaNode, NodeType, type QueuedDownload, type QueuedUpload, type ResumeBook, scanLocal,
  type TransferProgress, type TransferRecord, uploadSource,
} from '@mega-shell/core'

/** Progress of a whole queued transfer (a folder's files add up). */
export type JobProgress = (bytesDone: number) => void

/**
 * Runs one queued transfer to its end with the server's context. Running it again after an interruption resumes
 * it: files already uploaded (same fingerprint and name at the destination) and already downloaded (identical
 * local file) are skipped by the core, as MEGAcmd's SDK skips them, and a file cut off in the middle continues
 * from its last confirmed chunk (`resume` keeps the upload URL and key, or the partial file, and the chunk MACs).
 */
export async function runQueuedJob(ctx: MegaContext, record: TransferRecord, resume: ResumeBook, signal: AbortSignal, onProgress: JobProgress): Promise<void> {
  const perFile = new Map<string, number>()
  let done = 0
  const progress = (file: string, {bytesDone}: TransferProgress): void => {
    done += bytesDone - (perFile.get(file) ?? 0)
    perFile.set(file, bytesDone)
    onProgress(done)
  }
  if (record.direction === 'upload') await upload(ctx, record.job as QueuedUpload, {signal, onProgress: progress, resume})
  else await download(ctx, record.job as QueuedDownload, {signal, onProgress: progress, resume})
}

interface JobOptions {
  signal: AbortSignal
  onProgress: (file: string, progress: TransferProgress) => void
  resume: ResumeBook
}

async function upload(ctx: MegaContext, job: QueuedUpload, options: JobOptions): Promise<void> {
  const parent = await remoteNode(ctx, job.parent)
  if (!parent || parent.type === NodeType.FILE) throw new CommandError('The destination folder no longer exists', ExitCode.NOTFOUND)
  if (!(await stat(job.local).catch(() => undefined))) throw new CommandError(`Unable to open local path: ${job.local}`, ExitCode.NOTFOUND)
  const scan = await scanLocal(job.local, job.name ?? basename(job.local))
  const {failures} = await uploadSource(ctx, scan, parent, options)
  // The rest went up; the first item left out is the transfer's failure, as `put` reports it.
  if (failures.length > 0) throw new CommandError(`Unable to upload ${failures[0].local}: ${failures[0].reason}`, failures[0].exitCode)
}

async function download(ctx: MegaContext, job: QueuedDownload, options: JobOptions): Promise<void> {
  const node = await remoteNode(ctx, job.handle)
  if (!node) throw new CommandError('The remote item no longer exists', ExitCode.NOTFOUND)
  const folder = 'into' in job.target ? job.target.into : undefined
  if (folder && !(await stat(folder).catch(() => undefined))?.isDirectory()) throw new CommandError(`${folder} is not a valid Download Folder`, ExitCode.INVALIDTYPE)
  await downloadNode(ctx, node, job.target, options)
}

/**
 * A node by handle. The command that queued the transfer ran in another process and may have just created it
 * (`put -q -c`): the cache file is shared, so it is there; a catch-up covers a node made by another client.
 */
async function remoteNode(ctx: MegaContext, handle: string): Promise<MegaNode | undefined> {
  const node = ctx.nodes.get(handle)
  if (node) return node
  await ctx.ready()
  return ctx.nodes.get(handle)
}
