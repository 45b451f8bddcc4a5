import {readFileSync, statSync} from 'node:fs'
import {
  contentFingerprint, copyFilesInto, createFolderTree, fileFingerprint, type FileUpload, isLocalFolder, type LocalFile, type LocalFolder,
  type MegaContext, type MegaNode, NodeType, scanLocal, SMALL_FILE_SIZE, uploadFiles,
} from '@mega-shell/core'
import type {InstanceState} from '../service/backup-protocol.js'
import type {RunRecord} from '../state/backup-store.js'
import {setInstanceState} from './instance-state.js'

/** The counters of a run that `backup -l` shows while it goes, and the history keeps. */
export type RunCounters = Pick<RunRecord, 'filesTotal' | 'filesDone' | 'foldersCreated' | 'bytesTotal' | 'bytesDone' | 'bytesUploaded' | 'filesCopied' | 'filesFailed'>

export interface BackupRunOptions {
  ctx: MegaContext
  localPath: string
  /** The remote parent the run's folder goes in. */
  parent: MegaNode
  /** The run's folder name (instance-name.ts). */
  name: string
  /** Earlier run folders of this backup, newest first, with their state: where unchanged files are copied from. */
  earlier: Array<{node: MegaNode; state: InstanceState | undefined}>
  counters: RunCounters
  signal: AbortSignal
  /** The run's folder exists (its handle), with BACKST ONGOING. */
  onFolder: (folder: MegaNode) => void
  log: (line: string) => void
}

/** Files copied per `p`: a request the server answers in well under a second. */
const COPY_BATCH = 2000

/**
 * One backup run (SDK MegaScheduledCopyController::start / onFolderAvailable / checkCompletion): the run's folder
 * and every folder of the local tree are made in one `p`, with BACKST ONGOING on the top; then each file is either
 * copied in the cloud from an earlier run, when that run holds a file of the same size and fingerprint (the
 * fingerprint carries the CRCs and the mtime, so an unchanged file matches, whatever its path), or uploaded.
 * Beyond the SDK, which uploads every file every time: a second backup of an unchanged tree moves no file bytes.
 * The state at the end is COMPLETE, INCOMPLETE when a file could not go up, or ABORTED when the signal stopped it.
 */
export async function runBackup(options: BackupRunOptions): Promise<InstanceState> {
  const {ctx, counters, signal} = options
  const phases = new PhaseTimes()
  const source = await scanLocal(options.localPath, options.name)
  phases.end('scan')
  const tree: LocalFolder = source.item && isLocalFolder(source.item) ? source.item : {name: options.name, folders: [], files: []}
  counters.filesFailed += source.failures.length
  for (const failure of source.failures) options.log(`cannot read ${failure.local}: ${failure.reason}`)
  const placed = await createFolderTree(ctx, options.parent, tree)
  const top = await setInstanceState(ctx, placed.get(tree)!, 'ONGOING')
  options.onFolder(top)
  counters.foldersCreated = placed.size - 1
  phases.end('folders')

  const files: Array<{file: LocalFile; folder: MegaNode}> = []
  const collect = (folder: LocalFolder) => {
    for (const file of folder.files) files.push({file, folder: placed.get(folder)!})
    folder.folders.forEach(collect)
  }
  collect(tree)
  counters.filesTotal = files.length + counters.filesFailed
  counters.bytesTotal = source.size

  const known = earlierFiles(ctx, options.earlier)
  const copies = new Map<MegaNode, Array<{source: MegaNode; name: string; size: number}>>()
  const uploads: FileUpload[] = []
  for (const {file, folder} of files) {
    if (signal.aborted) return 'ABORTED'
    // Nothing to copy from (a first backup): no file is read twice.
    const fingerprint = known.size > 0 ? await fingerprintOf(file.path) : undefined
    const match = fingerprint && known.get(`${fingerprint.size}:${fingerprint.value}`)
    if (match) copies.set(folder, [...(copies.get(folder) ?? []), {source: match, name: file.name, size: fingerprint.size}])
    else uploads.push({path: file.path, parent: folder, name: file.name, size: file.size})
  }
  phases.end('fingerprints')

  for (const [folder, group] of copies) {
    for (let i = 0; i < group.length; i += COPY_BATCH) {
      if (signal.aborted) return 'ABORTED'
      const batch = group.slice(i, i + COPY_BATCH)
      await copyFilesInto(ctx, folder, batch)
      counters.filesDone += batch.length
      counters.filesCopied += batch.length
      counters.bytesDone += batch.reduce((sum, f) => sum + f.size, 0)
    }
  }
  phases.end('copies')

  await uploadFiles(ctx, uploads, (file, outcome) => {
    if (outcome instanceof Error) {
      if (signal.aborted) return
      counters.filesFailed++
      options.log(`cannot back up ${file.path}: ${outcome.message}`)
      return
    }
    counters.filesDone++
    counters.bytesDone += outcome.size
    counters.bytesUploaded += outcome.size
  }, {signal})
  phases.end('uploads')
  options.log(`${options.name}: ${phases}`)
  if (signal.aborted) return 'ABORTED'
  return counters.filesFailed > 0 ? 'INCOMPLETE' : 'COMPLETE'
}

/**
 * The files of earlier runs by size and fingerprint: the newest run first, back to the newest COMPLETE one (older
 * runs hold nothing a complete one lacks, except files deleted since, which the next backup does not need).
 */
function earlierFiles(ctx: MegaContext, earlier: BackupRunOptions['earlier']): Map<string, MegaNode> {
  const known = new Map<string, MegaNode>()
  for (const {node, state} of earlier) {
    for (const file of ctx.nodes.subtree(node.handle)) {
      if (file.type !== NodeType.FILE || !file.key || typeof file.attrs.c !== 'string') continue
      const key = `${file.size}:${file.attrs.c}`
      if (!known.has(key)) known.set(key, file)
    }
    if (state === 'COMPLETE') break
  }
  return known
}

/**
 * MEGA's fingerprint of a local file (CRCs and mtime), as an upload computes it; undefined when it cannot be read
 * (the upload then reports why). Synchronous calls, as the core's per-file calls are (upload.ts).
 */
async function fingerprintOf(path: string): Promise<{size: number; value: string} | undefined> {
  try {
    const info = statSync(path)
    const mtime = Math.floor(info.mtimeMs / 1000)
    if (info.size > SMALL_FILE_SIZE) return {size: info.size, value: await fileFingerprint(path, info.size, mtime)}
    const content = readFileSync(path)
    return {size: content.length, value: contentFingerprint(content, mtime)}
  } catch {
    return undefined
  }
}

/** How long each phase of a run took, for the server's log: `scan 120 ms, folders 30 ms, …`. */
class PhaseTimes {
  private last = performance.now()
  private readonly parts: string[] = []

  end(phase: string): void {
    const now = performance.now()
    this.parts.push(`${phase} ${Math.round(now - this.last)} ms`)
    this.last = now
  }

  toString(): string {
    return this.parts.join(', ')
  }
}
