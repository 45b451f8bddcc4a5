import Database from 'better-sqlite3'
import type {Db} from './database.js'
import {VISIBLE_TREE_SQL, type NodeRow} from './node-store.js'

/**
 * An account's visible tree read through its own read-only connection, inside one read transaction: a snapshot
 * (SQLite WAL: a reader keeps the database as it was when its transaction began, while the server's connection goes
 * on writing). The `f` reply streams from it at the pace of the client (protocol/streamed-json.ts), so between two
 * pieces other requests run and change the tree; the snapshot keeps the reply the tree of one moment, the moment
 * the rest of the reply (`sn`, shares, contacts) was read. The server's own connection cannot serve: better-sqlite3
 * refuses any other statement on a connection while one of its iterators is open.
 */
export class TreeSnapshot {
  private readonly db: Db

  constructor(main: Db) {
    this.db = new Database(main.name, {readonly: true, fileMustExist: true})
    this.db.exec('BEGIN')
    // The snapshot starts with the transaction's first read, not with BEGIN: read now, in step with the caller.
    this.db.prepare('SELECT 1 FROM nodes LIMIT 1').get()
  }

  /** The account's visible tree, parents first (VISIBLE_TREE_SQL), row by row. */
  visibleTree(owner: string): IterableIterator<NodeRow> {
    return this.db.prepare<[string], NodeRow>(VISIBLE_TREE_SQL).iterate(owner)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
