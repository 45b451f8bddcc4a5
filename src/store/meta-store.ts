import type {Db} from './database.js'

/** Small key/value settings of the cache (session, sequence number, cwd). */
export class MetaStore {
  private readonly getStmt
  private readonly setStmt
  private readonly delStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], {value: string}>('SELECT value FROM meta WHERE key = ?')
    this.setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    this.delStmt = db.prepare('DELETE FROM meta WHERE key = ?')
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value
  }

  set(key: string, value: string | undefined): void {
    if (value === undefined) this.delStmt.run(key)
    else this.setStmt.run(key, value)
  }

  getJson<T>(key: string): T | undefined {
    const text = this.get(key)
    return text === undefined ? undefined : (JSON.parse(text) as T)
  }

  setJson(key: string, value: unknown): void {
    this.set(key, value === undefined ? undefined : JSON.stringify(value))
  }
}
