import {mkdirSync} from 'node:fs'
import {unlink} from 'node:fs/promises'
import {join} from 'node:path'
import type {Db} from './database.js'

/**
 * File contents as the clients uploaded them: AES-CTR ciphertext, one file per upload, under
 * `<data>/blobs/<first two chars>/<id>`. Copies of a file share its blob (mega-api.md §4.3 "copy"), so a blob
 * is removed only when no node refers to it any more (node-store.ts decides that). A finished blob also has a
 * row in the `blobs` table, written when its upload completes (upload-store.ts) and deleted when nothing uses
 * it (node-store.ts, upload-store.ts): those stores change it in the same transaction as their own rows.
 */
export class BlobStore {
  readonly dir: string
  private readonly sizeStmt

  constructor(dataDir: string, db: Db) {
    this.dir = join(dataDir, 'blobs')
    mkdirSync(this.dir, {recursive: true, mode: 0o700})
    this.sizeStmt = db.prepare<[string], {size: number}>('SELECT size FROM blobs WHERE id = ?')
  }

  /** The size of a finished blob; undefined for an unknown one or an upload still under way. */
  size(id: string): number | undefined {
    return this.sizeStmt.get(id)?.size
  }

  /** Path of a blob; creates its shard folder so the caller can open it for writing. */
  pathFor(id: string, create = false): string {
    const shard = join(this.dir, id.slice(0, 2))
    if (create) mkdirSync(shard, {recursive: true, mode: 0o700})
    return join(shard, id)
  }

  /** Deletes blob files in the background; a missing file is not an error. */
  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      unlink(this.pathFor(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') process.stderr.write(`local-server: could not delete blob ${id}: ${error.message}\n`)
      })
    }
  }
}
