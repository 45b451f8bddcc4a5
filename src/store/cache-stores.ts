import type {Db} from './database.js'
import {ContactStore} from './contact-store.js'
import {MetaStore} from './meta-store.js'
import {NodeStore} from './node-store.js'
import {ShareStore} from './share-store.js'
import {SubtreeQueries} from './subtree-queries.js'

/** An open cache and its stores (each holds only prepared statements: no data of its own outlives a query). */
export class CacheStores {
  readonly meta: MetaStore
  readonly nodes: NodeStore
  /** du and find over whole subtrees, as index range scans. */
  readonly subtrees: SubtreeQueries
  readonly contacts: ContactStore
  readonly shares: ShareStore

  constructor(readonly db: Db) {
    this.meta = new MetaStore(db)
    this.nodes = new NodeStore(db)
    this.subtrees = new SubtreeQueries(db)
    this.contacts = new ContactStore(db)
    this.shares = new ShareStore(db)
  }
}
