import {fingerprintCrc} from '../crypto/fingerprint.js'
import {CommandError, ExitCode} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import {type NewNode, putNodes} from './remote-ops.js'
import {withTreeWriteLock} from './tree-write-lock.js'

/** What makes two files the same for an upload: name, size and fingerprint (CRCs and mtime). */
export interface FileIdentity {
  name: string
  size: number
  fingerprint: string
  mtime: number
}

/**
 * An existing file with the same name, size and fingerprint (CRCs, and mtime within 2 s as the SDK's
 * FileFingerprint comparison allows) is not uploaded again (SDK behaviour MEGAcmd inherits).
 */
export function identicalFile(ctx: MegaContext, parent: MegaNode, file: FileIdentity): MegaNode | undefined {
  const crc = fingerprintCrc(file.fingerprint)
  return ctx.nodes.childrenNamed(parent.handle, file.name).find((node) =>
    node.type === NodeType.FILE && node.size === file.size && typeof node.attrs.c === 'string' &&
    fingerprintCrc(node.attrs.c).equals(crc) && node.mtime !== null && Math.abs(node.mtime - file.mtime) <= 2)
}

/** A file whose data is on the server, and the node that will make it part of the tree. */
export interface UploadedFile {
  parent: MegaNode
  file: FileIdentity
  node: NewNode
}

interface PendingFile extends UploadedFile {
  resolve: (node: MegaNode) => void
  reject: (error: unknown) => void
}

/**
 * Creates the nodes of uploaded files (`p`), each only if no identical file appeared meanwhile: another
 * command of this profile may have uploaded the same file at the same time. The check and the `p` happen
 * under the tree-write lock; files whose data finished while the previous batch held it go together, under
 * one acquisition and one `p` per folder, so parallel uploads do not queue for the lock one by one.
 */
export class FileCommits {
  private queue: PendingFile[] = []
  private draining = false

  constructor(private readonly ctx: MegaContext, private readonly signal?: AbortSignal) {}

  /** The file's node: the one created for it, or an identical file that is already there. */
  commit(uploaded: UploadedFile): Promise<MegaNode> {
    return new Promise((resolve, reject) => {
      this.queue.push({...uploaded, resolve, reject})
      if (!this.draining) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.draining = true
    // Files finishing in this same turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      try {
        await withTreeWriteLock(this.ctx, () => this.send(batch), this.signal)
      } catch (error) {
        // Waiting for the lock failed (Ctrl-C); send() settles the files it got to itself.
        for (const pending of batch) pending.reject(error)
      }
    }
    this.draining = false
  }

  /** One `p` per folder for the files that are still missing, all in one request. */
  private async send(batch: PendingFile[]): Promise<void> {
    const byFolder = new Map<string, PendingFile[]>()
    for (const pending of batch) {
      const same = identicalFile(this.ctx, pending.parent, pending.file)
      if (same) pending.resolve(same)
      else byFolder.set(pending.parent.handle, [...(byFolder.get(pending.parent.handle) ?? []), pending])
    }
    await Promise.all([...byFolder.values()].map(async (group) => {
      try {
        // A file of the same name is replaced: the new node names it in `ov` and the server keeps it as the new
        // file's first version, or deletes it if the account disabled versioning (the SDK's File::completed,
        // src/file.cpp: `ovhandle = getovnode(parent, name)`, leaving the choice to the server; mega-api.md §4.7).
        const replaced = group.map((pending) => this.ctx.nodes.childrenNamed(pending.parent.handle, pending.file.name).find((node) => node.type === NodeType.FILE))
        const nodes = group.map((pending, i) => (replaced[i] ? {...pending.node, ov: replaced[i].handle} : pending.node))
        const created = await putNodes(this.ctx, group[0].parent, nodes)
        if (created.length !== group.length) throw new CommandError('The server did not create every file', ExitCode.EUNEXPECTED)
        await this.ctx.recordChange(() => replaced.forEach((old, i) => old && this.ctx.nodes.setParent(old.handle, created[i].handle)))
        group.forEach((pending, i) => pending.resolve(created[i]))
      } catch (error) {
        for (const pending of group) pending.reject(error)
      }
    }))
  }
}
