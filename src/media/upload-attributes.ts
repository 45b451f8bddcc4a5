import {availableParallelism} from 'node:os'
import {TaskLimiter} from './task-limiter.js'
import type {MegaContext} from '../session/context.js'
import type {MegaNode} from '../tree/node.js'
import {foldKey} from '../crypto/node-key.js'
import {makeAttributeImages} from './attribute-images.js'
import {putAttribute} from './attribute-transfer.js'
import {FileAttributeType} from './attribute-types.js'
import {attributeHandle, faEntry} from './fa-string.js'
import {isImageFileName} from './image-files.js'
import {SharpUnavailableError} from './sharp-loader.js'

const generating = new TaskLimiter(availableParallelism())

export interface AttributeNotes {
  /** Diagnostics (`-v`). */
  log?: (line: string) => void
  /** What the user should know: the file went up without a thumbnail. */
  warn?: (line: string) => void
}

/**
 * The thumbnail and preview of an image being uploaded, made and stored while its data goes up, as the SDK
 * does: the SDK starts the GfxProc job when the upload starts and puts the attribute handles that are ready
 * into the `p` that creates the node; those that finish later are attached with `pfa` once the node exists
 * (meganz/sdk src/megaclient.cpp: `putnodes` takes the transfer's completed file attributes
 * (`Transfer::addAnyMissingMediaFileAttributes`/`pendingattrs`), `MegaClient::putfa` → `CommandPutFA`,
 * then `CommandAttachFA` for the late ones). A failure never fails the upload: the file simply has no
 * thumbnail, with a warning (or a `-v` note when the image library is missing).
 */
export class UploadAttributes {
  private readonly stored: Promise<string | undefined>
  private fa?: string

  /** Starts the work for an image; undefined (nothing read, no library loaded) for any other file. */
  static start(ctx: MegaContext, localPath: string, name: string, aesKey: Buffer, notes: AttributeNotes): UploadAttributes | undefined {
    return isImageFileName(name) ? new UploadAttributes(ctx, localPath, aesKey, notes) : undefined
  }

  private constructor(private readonly ctx: MegaContext, private readonly localPath: string, private readonly aesKey: Buffer, private readonly notes: AttributeNotes) {
    notes.log?.(`${localPath}: making its thumbnail and preview`)
    this.stored = this.make().then((fa) => (this.fa = fa), (error: unknown) => this.report(error))
  }

  /** The `fa` for the `p` that creates the node, when both attributes are already stored. */
  forNewNode(): string | undefined {
    if (this.fa) this.notes.log?.(`${this.localPath}: thumbnail and preview go in the node's p`)
    return this.fa
  }

  /** After the node exists: attaches the attributes that were not ready for its `p` (`pfa`, one per type). */
  async attachTo(node: MegaNode): Promise<void> {
    if (attributeHandle(node.fa, FileAttributeType.THUMBNAIL) && attributeHandle(node.fa, FileAttributeType.PREVIEW)) return
    const fa = await this.stored
    // Another command's identical file may stand for ours: its key is not the one our attributes use.
    if (!fa || !node.key || !foldKey(node.key).equals(this.aesKey)) return
    try {
      const replies = await Promise.all(fa.split('/').map((entry) => this.ctx.api.request<string>({a: 'pfa', n: node.handle, fa: entry})))
      const final = replies.at(-1)!
      this.notes.log?.(`${this.localPath}: thumbnail and preview attached to the node (pfa)`)
      await this.ctx.recordChange(() => {
        const current = this.ctx.nodes.get(node.handle)
        if (current) this.ctx.nodes.upsert({...current, fa: final})
      })
    } catch (error) {
      this.report(error)
    }
  }

  private async make(): Promise<string> {
    // At most one image is decoded per CPU at a time: a folder of small photos uploads faster than their
    // thumbnails are made, and each decode holds a bitmap in memory (the SDK has one GfxProc thread).
    const images = await generating.run(() => makeAttributeImages(this.localPath))
    const api = this.ctx.api
    const [thumbnail, preview] = await Promise.all([putAttribute(api, this.aesKey, images.thumbnail), putAttribute(api, this.aesKey, images.preview)])
    this.notes.log?.(`${this.localPath}: thumbnail (${images.thumbnail.length} bytes) and preview (${images.preview.length} bytes) stored`)
    return [faEntry(FileAttributeType.THUMBNAIL, thumbnail), faEntry(FileAttributeType.PREVIEW, preview)].join('/')
  }

  private report(error: unknown): undefined {
    const reason = (error as Error)?.message ?? String(error)
    if (error instanceof SharpUnavailableError) this.notes.log?.(`${this.localPath}: uploaded without thumbnail and preview: ${reason}`)
    else this.notes.warn?.(`${this.localPath}: uploaded without thumbnail and preview: ${reason}`)
    return undefined
  }
}
