import {randomBytes} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import {encryptAttributes} from '../crypto/attributes.js'
import {contentFingerprint, fileFingerprint} from '../crypto/fingerprint.js'
import {b64encode} from '../crypto/base64.js'
import {encryptNodeKey, foldKey} from '../crypto/node-key.js'
import {type AttributeNotes, UploadAttributes} from '../media/upload-attributes.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {TransferProgress} from '../transfer/progress.js'
import type {CreatedFolders} from './created-folders.js'
import {FileCommits, identicalFile, type UploadedFile} from './file-commits.js'
import {isLocalFolder, type LocalFile, type LocalFolder, type LocalSource} from './local-tree.js'
import {createFolderTree, type FolderTree} from './remote-ops.js'
import {requireAccess} from './share-access.js'
import {ShareAccess} from '../store/share-store.js'
import {runBySize, SMALL_FILE_SIZE} from './parallel-files.js'
import {transferEngine} from './transfer-engine.js'
import {withTreeWriteLock} from './tree-write-lock.js'
import {inPathOrder, isLocalFileError, localFileFailure, type UploadFailure} from './upload-failures.js'
import {transferSsl} from '../transfer/transfer-ssl.js'
import type {FileResume, ResumeBook} from '../transfer/resume-point.js'
import {MegaError} from '../errors.js'

export interface UploadOptions {
  /** Parallel connections per file. */
  connections?: number
  /** Files uploaded at the same time when a folder is uploaded (default: by size, parallel-files.ts). */
  parallelFiles?: number
  /** Progress of each file, keyed by its local path (files of a folder go up in parallel). */
  onProgress?: (localPath: string, progress: TransferProgress) => void
  /** Stops the transfers (Ctrl-C); the engine cleans up what it started. */
  signal?: AbortSignal
  /** Hears of the remote folders the upload creates (an interrupted command takes back the empty ones). */
  createdFolders?: CreatedFolders
  /** Where notes about images' thumbnails and previews go (`-v` diagnostics, warnings). */
  notes?: AttributeNotes
  /** Keeps each file's resume point, so that an interrupted upload continues where it stopped (the transfer queue). */
  resume?: ResumeBook
}

/**
 * One file: `u` gives an upload URL for the size, the engine encrypts and sends the data, and `p` creates the
 * node with the completion token, the key under our master key and the encrypted name (mega-api.md §5.1
 * steps 1-6; megajs and megatools send `u` with ssl:0 and v:2, which asks for the 36-byte binary token).
 * An identical file already there is not sent again; one that appears while the data goes up (another
 * command uploading the same file) gets no second node.
 */
export async function uploadFile(ctx: MegaContext, localPath: string, parent: MegaNode, name: string, options: UploadOptions = {}): Promise<MegaNode> {
  const sent = await sendFile(ctx, localPath, parent, name, options)
  return 'existing' in sent ? sent.existing : commitFile(new FileCommits(ctx, options.signal), sent)
}

/**
 * The data of one file: a new upload URL from `u`, or the one of an earlier attempt with its key and the chunks it
 * holds (resume-point.ts), then the engine sends what is missing.
 */
async function sendData(ctx: MegaContext, localPath: string, content: Buffer | undefined, parent: MegaNode, size: number, name: string, options: UploadOptions, resume: FileResume | undefined) {
  const saved = resume?.load()
  let start: {url: string; aesKey: Buffer; nonce: Buffer}
  if (saved?.url && saved.aesKey && saved.nonce) start = {url: saved.url, aesKey: saved.aesKey, nonce: saved.nonce}
  else {
    // `t` names the target folder: the server checks it takes our writes and charges its owner's storage (a folder
    // shared with us counts against its owner, SDK CommandPutFile).
    const {p: url} = await ctx.api.request<{p: string}>({a: 'u', ssl: transferSsl(), s: size, ms: 0, r: 0, e: 0, v: 2, t: parent.handle})
    start = {url, aesKey: randomBytes(16), nonce: randomBytes(8)}
    resume?.begin(start)
  }
  const attributes = UploadAttributes.start(ctx, localPath, name, start.aesKey, options.notes ?? {})
  const {uploadData} = await transferEngine()
  const result = await uploadData({
    ...start, source: localPath, content, size, connections: options.connections, signal: options.signal, onProgress: (p) => options.onProgress?.(localPath, p),
    doneChunks: saved?.url ? saved.chunks : undefined, onChunksDone: resume && ((first, macs) => resume.chunksDone(first, macs)),
  })
  return {...result, attributes}
}

/** A file sent, with the thumbnail and preview made for it meanwhile, if it is an image. */
interface SentFile extends UploadedFile {
  attributes?: UploadAttributes
}

/** Creates the file's node, then attaches the attributes that were not ready for its `p`. */
async function commitFile(commits: FileCommits, sent: SentFile): Promise<MegaNode> {
  const node = await commits.commit(sent)
  await sent.attributes?.attachTo(node)
  return node
}

/**
 * Sends a file's data: the node to create for it, or the identical file that made sending it unnecessary.
 * An image's thumbnail and preview are made and stored alongside (media/upload-attributes.ts), with the
 * file's AES key drawn here so that they can be encrypted before the data is done.
 */
async function sendFile(ctx: MegaContext, localPath: string, parent: MegaNode, name: string, options: UploadOptions): Promise<SentFile | {existing: MegaNode}> {
  const masterKey = ctx.requireWritable()
  requireAccess(ctx, parent, ShareAccess.READWRITE)
  // Synchronous calls (as localSlot's for downloads): an asynchronous one wakes a thread-pool thread each, which
  // cost 10,000 1 KiB files more than the calls themselves (perf: futex wake-ups under uv_fs_*).
  const info = statSync(localPath)
  const mtime = Math.floor(info.mtimeMs / 1000)
  // A small file is read once, for its fingerprint and its data: 1,000 files cost 1,000 opens, not 2,000.
  const content = info.size <= SMALL_FILE_SIZE ? readFileSync(localPath) : undefined
  if (content && content.length !== info.size) throw new Error(`${localPath} changed while it was read: ${content.length} bytes, expected ${info.size}`)
  const file = {name, size: info.size, mtime, fingerprint: content ? contentFingerprint(content, mtime) : await fileFingerprint(localPath, info.size, mtime)}
  const existing = identicalFile(ctx, parent, file)
  if (existing) return {existing}
  const resume = options.resume?.file(`upload:${localPath}`, `${info.size}:${mtime}`)
  const resuming = resume?.load()?.url !== undefined
  const sent = await sendData(ctx, localPath, content, parent, info.size, name, options, resume).catch(async (error: unknown) => {
    // An upload URL of an earlier attempt may be gone (the upload servers answer -8 EEXPIRED, or -7 ERANGE, and
    // the SDK then starts again with a new URL: TransferSlot::doio / Transfer::failed): start again, once.
    if (!(resuming && error instanceof MegaError && (error.code === -8 || error.code === -7))) throw error
    resume!.clear()
    return sendData(ctx, localPath, content, parent, info.size, name, options, resume)
  })
  const {completionTokenBytes, fileKey, attributes} = sent
  const fa = attributes?.forNewNode()
  return {parent, file, attributes, node: {
    h: b64encode(completionTokenBytes),
    t: NodeType.FILE,
    a: encryptAttributes(foldKey(fileKey), {n: name, c: file.fingerprint}),
    k: encryptNodeKey(masterKey, fileKey),
    ...(fa ? {fa} : {}),
  }}
}

export interface UploadResult {
  /** The remote file, or folder, made for the source; undefined when none of it could be read. */
  node?: MegaNode
  /** What was left out, in path order. */
  failures: UploadFailure[]
}

/**
 * A scanned local file or folder (scanLocal) into `parent`. A folder keeps its own name, its structure is made
 * first (folders that already exist are reused, so uploading a grown tree again merges into it), then the
 * files go up a few at a time. A file that cannot be read is left out and reported, and everything else still
 * goes up; a remote or network failure, or Ctrl-C, stops the upload.
 */
export async function uploadSource(ctx: MegaContext, source: LocalSource, parent: MegaNode, options: UploadOptions = {}): Promise<UploadResult> {
  const failures = [...source.failures]
  const send = async (file: LocalFile, folder: MegaNode) => {
    try {
      return await sendFile(ctx, file.path, folder, file.name, options)
    } catch (error) {
      if (!isLocalFileError(error)) throw error
      failures.push(localFileFailure(file.path, error))
      return undefined
    }
  }
  const commits = new FileCommits(ctx, options.signal)
  if (!source.item || !isLocalFolder(source.item)) {
    const sent = source.item && (await send(source.item, parent))
    const node = sent && ('existing' in sent ? sent.existing : await commitFile(commits, sent))
    return {node, failures}
  }
  const {top, files} = await materialize(ctx, source.item, parent, options)
  // A file's node is created while the next files' data goes up, so that small files do not wait a round
  // trip each for the lock: the nodes of those finished meanwhile go together.
  const committing: Array<Promise<void>> = []
  let commitFailure: unknown
  try {
    await runBySize(files, ({file}) => file.size, options.parallelFiles, async ({file, folder}) => {
      if (commitFailure !== undefined) throw commitFailure
      const sent = await send(file, folder)
      if (sent && !('existing' in sent)) committing.push(commitFile(commits, sent).then(() => undefined, (error: unknown) => void (commitFailure ??= error)))
    })
  } finally {
    await Promise.all(committing)
  }
  if (commitFailure !== undefined) throw commitFailure
  return {node: top, failures: inPathOrder(failures)}
}

/**
 * Finds or creates the remote folders of `local` under `parent` and says where each file goes. Under the
 * tree-write lock, so that commands uploading the same tree at once make each folder once; every missing
 * subtree goes in one `p` (its nodes naming each other's placeholder handles), all of them in one request.
 */
function materialize(ctx: MegaContext, local: LocalFolder, parent: MegaNode, options: UploadOptions): Promise<{top: MegaNode; files: Array<{file: LocalFile; folder: MegaNode}>}> {
  return withTreeWriteLock(ctx, async () => {
    const placed = new Map<FolderTree, MegaNode>()
    const missing: Array<{folder: LocalFolder; parent: MegaNode}> = []
    const find = (folder: LocalFolder, parent: MegaNode) => {
      const existing = existingFolder(ctx, parent, folder.name)
      if (!existing) return void missing.push({folder, parent})
      placed.set(folder, existing)
      for (const sub of folder.folders) find(sub, existing)
    }
    find(local, parent)
    for (const created of await Promise.all(missing.map((m) => createFolderTree(ctx, m.parent, m.folder)))) {
      options.createdFolders?.add(created.values())
      for (const [folder, node] of created) placed.set(folder, node)
    }
    const files: Array<{file: LocalFile; folder: MegaNode}> = []
    const collect = (folder: LocalFolder) => {
      for (const file of folder.files) files.push({file, folder: placed.get(folder)!})
      folder.folders.forEach(collect)
    }
    collect(local)
    return {top: placed.get(local)!, files}
  }, options.signal)
}

function existingFolder(ctx: MegaContext, parent: MegaNode, name: string): MegaNode | undefined {
  return ctx.nodes.childrenNamed(parent.handle, name).find((n) => n.type === NodeType.FOLDER)
}

/** A local file and where it goes: `name` in `parent`; `size` when the caller knows it (else it is looked up). */
export interface FileUpload {
  path: string
  parent: MegaNode
  name: string
  size?: number
}

/**
 * Many files into their own folders (a sync's pass), a few at a time as a folder's files go, their nodes created
 * in batches (FileCommits). Each file's outcome goes to `settled`: its node (an identical file already there is
 * that node) or the failure, local or remote. Only Ctrl-C (the signal) stops the others.
 */
export async function uploadFiles(ctx: MegaContext, files: FileUpload[], settled: (file: FileUpload, outcome: MegaNode | Error) => void, options: UploadOptions = {}): Promise<void> {
  const commits = new FileCommits(ctx, options.signal)
  // Commits still running; a settled one leaves the set, so 100,000 files do not hold 100,000 promises.
  const committing = new Set<Promise<void>>()
  const fail = (file: FileUpload) => (error: unknown) => settled(file, error instanceof Error ? error : new Error(String(error)))
  try {
    await runBySize(files, (file) => file.size ?? statSync(file.path, {throwIfNoEntry: false})?.size ?? 0, options.parallelFiles, async (file) => {
      if (options.signal?.aborted) return
      try {
        const sent = await sendFile(ctx, file.path, file.parent, file.name, options)
        if ('existing' in sent) return settled(file, sent.existing)
        const commit: Promise<void> = commitFile(commits, sent).then((node) => settled(file, node), fail(file)).finally(() => committing.delete(commit))
        committing.add(commit)
      } catch (error) {
        fail(file)(error)
      }
    })
  } finally {
    await Promise.all(committing)
  }
}
