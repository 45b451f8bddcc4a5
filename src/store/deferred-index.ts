import type {Db} from './database.js'

/**
 * An index that a reload builds once after writing its rows instead of entry by entry: SQLite sorts the rows and
 * writes the index in order, where a million inserts in the order of random handles would each touch a random page of
 * it. Dropped in the reload's transaction and built again before it commits, with the definition the cache has
 * (migrations.ts), so other processes never see the cache without it. Only for indexes the load does not read.
 */
export class DeferredIndex {
  private readonly sql: string | undefined

  constructor(private readonly db: Db, name: string) {
    this.sql = db.prepare<[string], {sql: string}>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name)?.sql
    if (this.sql) db.exec(`DROP INDEX "${name}"`)
  }

  build(): void {
    if (this.sql) this.db.exec(this.sql)
  }
}
