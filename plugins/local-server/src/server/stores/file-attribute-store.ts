import {newFileAttributeHandle, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'

/**
 * Thumbnails and previews as the clients uploaded them (AES-CBC ciphertext under the file key), keyed by their
 * 8-byte attribute handle. Kept in SQLite: they are small, and atomic with the rest.
 */
export class FileAttributeStore {
  private readonly insertStmt
  private readonly getStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, Buffer, number]>(
      'INSERT INTO file_attributes (handle, user, data, created) VALUES (?, ?, ?, ?)')
    this.getStmt = db.prepare<[string], {data: Buffer}>('SELECT data FROM file_attributes WHERE handle = ?')
  }

  /** Stores an attribute of `user` under a new handle and returns the handle (8 raw bytes). */
  add(user: string, data: Buffer): Buffer {
    let handle = newFileAttributeHandle()
    while (this.getStmt.get(handle.toString('base64url'))) handle = newFileAttributeHandle()
    this.insertStmt.run(handle.toString('base64url'), user, data, nowSeconds())
    return handle
  }

  get(handle: Buffer): Buffer | undefined {
    return this.getStmt.get(handle.toString('base64url'))?.data
  }
}
