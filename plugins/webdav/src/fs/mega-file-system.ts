import {Readable, Writable} from 'node:stream'
import {
  copyNode, createFolderPath, type MegaContext, type MegaNode, moveNode, NodeType, RemoteReader, renameNode,
} from '@mega-shell/core'
import {v2 as webdav} from 'webdav-server'
import type {ServedTree} from './served-tree.js'
import {uploadBody} from './spooled-upload.js'
import {trashNode} from './trash.js'

type Callback<T> = webdav.ReturnCallback<T>

/**
 * One served location as a webdav-server (v2) file system, mounted at `/<handle>`: its root is a container holding
 * only the served node, so that the location's URL is `/<handle>/<name>` as MEGAcmd's. Everything is the account's:
 * listings come from the cache, content from the storage servers (RemoteReader), and each change is one API request
 * (a folder made, a node moved, renamed or copied on the server, a deletion to the rubbish bin). Locks and dead
 * properties are webdav-server's own managers, kept in memory per path while the server runs.
 *
 * GET, HEAD, PUT, PROPFIND and PROPPATCH do not come here: the plugin answers them itself (handlers/), because
 * webdav-server 2.6's own read whole streams for a range, buffer bodies in memory and mishandle some requests.
 */
export class MegaFileSystem extends webdav.FileSystem {
  private readonly locks = new Map<string, webdav.LocalLockManager>()
  private readonly props = new Map<string, webdav.LocalPropertyManager>()

  /** `spoolDir`: where request bodies wait to be uploaded (in the profile, owner-only). */
  constructor(readonly tree: ServedTree, readonly spoolDir: string) {
    super(new NoSerializer())
  }

  /** The node at a path of this file system, `null` for its container root, undefined when there is none. */
  nodeAt(path: webdav.Path): MegaNode | null | undefined {
    if (path.isRoot()) return null
    const root = this.tree.root()
    if (!root || path.paths[0].normalize('NFC') !== root.name) return undefined
    return this.tree.resolve(path.paths.slice(1))
  }

  protected override _fastExistCheck(_ctx: webdav.RequestContext, path: webdav.Path, callback: (exists: boolean) => void): void {
    callback(this.nodeAt(path) !== undefined)
  }

  protected override _type(path: webdav.Path, _info: webdav.TypeInfo, callback: Callback<webdav.ResourceType>): void {
    const node = this.nodeAt(path)
    if (node === undefined) return callback(webdav.Errors.ResourceNotFound)
    callback(undefined, node === null || node.type !== NodeType.FILE ? webdav.ResourceType.Directory : webdav.ResourceType.File)
  }

  protected override _readDir(path: webdav.Path, _info: webdav.ReadDirInfo, callback: Callback<string[]>): void {
    const node = this.nodeAt(path)
    if (node === undefined) return callback(webdav.Errors.ResourceNotFound)
    if (node === null) return callback(undefined, [this.tree.root()!.name])
    callback(undefined, this.tree.children(node).map((child) => child.name))
  }

  protected override _size(path: webdav.Path, _info: webdav.SizeInfo, callback: Callback<number>): void {
    const node = this.nodeAt(path)
    if (!node) return callback(webdav.Errors.ResourceNotFound)
    callback(undefined, node.type === NodeType.FILE ? node.size : 0)
  }

  protected override _creationDate(path: webdav.Path, _info: webdav.CreationDateInfo, callback: Callback<number>): void {
    const node = this.nodeAt(path)
    callback(undefined, node ? node.ts * 1000 : 0)
  }

  protected override _lastModifiedDate(path: webdav.Path, _info: webdav.LastModifiedDateInfo, callback: Callback<number>): void {
    const node = this.nodeAt(path)
    callback(undefined, node ? (node.mtime ?? node.ts) * 1000 : 0)
  }

  /** A node's handle changes with its content (a new version is a new node), so it is its ETag. */
  protected override _etag(path: webdav.Path, _info: webdav.ETagInfo, callback: Callback<string>): void {
    const node = this.nodeAt(path)
    if (node === undefined) return callback(webdav.Errors.ResourceNotFound)
    callback(undefined, node === null ? this.tree.handle : node.handle)
  }

  protected override _lockManager(path: webdav.Path, _info: webdav.LockManagerInfo, callback: Callback<webdav.ILockManager>): void {
    const key = path.toString()
    if (!this.locks.has(key)) this.locks.set(key, new webdav.LocalLockManager())
    callback(undefined, this.locks.get(key))
  }

  /**
   * Whether a write to `path` is refused by a lock (RFC 4918 §7): an unexpired lock on the path, or a deep one on a
   * folder above it, whose token the request's `If` header does not carry.
   */
  lockedAgainst(path: webdav.Path, ifHeader: string): boolean {
    for (let at: webdav.Path | undefined = path, depth = 0; at; at = at.hasParent() ? at.getParent() : undefined, depth++) {
      for (const lock of this.locks.get(at.toString())?.locks ?? []) {
        if (lock.expired() || (depth > 0 && lock.depth === 0)) continue
        if (!ifHeader.includes(lock.uuid)) return true
      }
      if (at.isRoot()) break
    }
    return false
  }

  protected override _propertyManager(path: webdav.Path, _info: webdav.PropertyManagerInfo, callback: Callback<webdav.IPropertyManager>): void {
    callback(undefined, this.propertiesAt(path.toString()))
  }

  /**
   * The dead properties kept for the path made of `names` (PROPPATCH writes them, PROPFIND lists them), by `{ns}name`;
   * each value is the property's XML element as text.
   */
  deadProperties(names: readonly string[], forWriting = false): webdav.PropertyBag {
    const key = new webdav.Path([...names]).toString()
    // Reading (a PROPFIND of 10,000 entries) makes no manager for the paths that have none.
    return forWriting || this.props.has(key) ? this.propertiesAt(key).properties : {}
  }

  private propertiesAt(key: string): webdav.LocalPropertyManager {
    if (!this.props.has(key)) this.props.set(key, new webdav.LocalPropertyManager())
    return this.props.get(key)!
  }

  protected override _create(path: webdav.Path, info: webdav.CreateInfo, callback: Callback<void>): void {
    this.change(callback, async (ctx) => {
      if (this.nodeAt(path) !== undefined) throw webdav.Errors.ResourceAlreadyExists
      const parent = this.nodeAt(path.getParent())
      if (!parent || parent.type === NodeType.FILE) throw webdav.Errors.IntermediateResourceMissing
      // A file made empty (a LOCK on a new name, RFC 4918 §9.10.4): an empty upload, as the SDK stores empty files.
      if (info.type.isDirectory) await createFolderPath(ctx, parent, [path.fileName()])
      else await uploadBody(ctx, this.spoolDir, Buffer.alloc(0), parent, path.fileName())
    })
  }

  /** To the rubbish bin, never for good: a WebDAV client's delete can be undone from MEGA's rubbish bin. */
  protected override _delete(path: webdav.Path, _info: webdav.DeleteInfo, callback: Callback<void>): void {
    this.change(callback, async (ctx) => {
      const node = this.nodeAt(path)
      if (!node) throw webdav.Errors.ResourceNotFound
      if (node.handle === this.tree.handle) throw webdav.Errors.Forbidden
      await trashNode(ctx, node)
      this.forget(path)
    })
  }

  /** A rename and/or a move in one folder tree: server-side (`a`, `m`); an existing target is first put in the rubbish bin. */
  protected override _move(from: webdav.Path, to: webdav.Path, info: webdav.MoveInfo, callback: Callback<boolean>): void {
    this.change(callback, async (ctx) => {
      const node = this.nodeAt(from)
      const target = this.nodeAt(to.getParent())
      if (!node) throw webdav.Errors.ResourceNotFound
      if (node.handle === this.tree.handle) throw webdav.Errors.Forbidden
      if (!target || target.type === NodeType.FILE) throw webdav.Errors.IntermediateResourceMissing
      const existing = this.nodeAt(to)
      if (existing && !info.overwrite) throw webdav.Errors.ResourceAlreadyExists
      if (existing) await trashNode(ctx, existing)
      if (node.parent !== target.handle) await moveNode(ctx, node, target)
      if (node.name !== to.fileName()) await renameNode(ctx, ctx.nodes.get(node.handle) ?? node, to.fileName())
      this.forget(from)
      return Boolean(existing)
    })
  }

  /** A copy made by the server from the existing data (`p` naming the source), a folder with all it holds. */
  protected override _copy(from: webdav.Path, to: webdav.Path, info: webdav.CopyInfo, callback: Callback<boolean>): void {
    this.change(callback, async (ctx) => {
      const node = this.nodeAt(from)
      const target = this.nodeAt(to.getParent())
      if (!node) throw webdav.Errors.ResourceNotFound
      if (!target || target.type === NodeType.FILE) throw webdav.Errors.IntermediateResourceMissing
      const existing = this.nodeAt(to)
      if (existing && !info.overwrite) throw webdav.Errors.ResourceAlreadyExists
      if (existing) await trashNode(ctx, existing)
      await copyNode(ctx, node, {target, name: to.fileName()})
      return Boolean(existing)
    })
  }

  protected override _openReadStream(path: webdav.Path, _info: webdav.OpenReadStreamInfo, callback: Callback<Readable>): void {
    const node = this.nodeAt(path)
    const ctx = this.tree.context()
    if (!node || node.type !== NodeType.FILE || !ctx) return callback(webdav.Errors.ResourceNotFound)
    callback(undefined, Readable.from(new RemoteReader(ctx, node).read(0, node.size - 1)))
  }

  /** Writes go through the plugin's PUT (handlers/put.ts), which spools to a file and uploads it. */
  protected override _openWriteStream(_path: webdav.Path, _info: webdav.OpenWriteStreamInfo, callback: Callback<Writable>): void {
    callback(webdav.Errors.InvalidOperation)
  }

  /** Locks and properties of a path that is gone go with it. */
  private forget(path: webdav.Path): void {
    const prefix = path.toString()
    for (const map of [this.locks, this.props]) for (const key of map.keys()) if (key === prefix || key.startsWith(`${prefix}/`)) map.delete(key)
  }

  /** Runs a change of the account and reports its outcome to webdav-server's callback. */
  private change<T>(callback: Callback<T>, work: (ctx: MegaContext) => Promise<T>): void {
    const ctx = this.tree.context()
    if (!ctx) return callback(webdav.Errors.ResourceNotFound)
    work(ctx).then((value) => callback(undefined, value), (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
  }
}

/** Served locations are kept by the plugin's own settings, not by webdav-server's persistence. */
class NoSerializer implements webdav.FileSystemSerializer {
  uid(): string {
    return 'mega-shell-none'
  }

  serialize(_fs: webdav.FileSystem, callback: Callback<unknown>): void {
    callback(undefined, {})
  }

  unserialize(_data: unknown, callback: Callback<webdav.FileSystem>): void {
    callback(webdav.Errors.InvalidOperation)
  }
}
