import {randomBytes} from 'node:crypto'
import type {Db} from './database.js'

export interface StoredAttribute {
  value: string
  version: string
}

export interface NamedAttribute extends StoredAttribute {
  name: string
}

/** Who may read an attribute of another account (mega-api.md §3.9 scope prefixes; SDK User::scope). */
export type AttributeScope = 'public' | 'protected' | 'private'

/**
 * Scope from the name: `+` public, `#` protected (contacts), `^` and `*` private; names without a prefix get an
 * implicit one: firstname and lastname are protected, the rest (country, birthday, pwmh, …) private
 * (mega-api.md §3.9; SDK User::scope).
 */
export function attributeScope(name: string): AttributeScope {
  if (name.startsWith('+')) return 'public'
  if (name.startsWith('#') || name === 'firstname' || name === 'lastname') return 'protected'
  return 'private'
}

/** User attributes exactly as the clients sent them (b64 values; `*` ones encrypted client-side, §2.8). */
export class AttributeStore {
  private readonly getStmt
  private readonly listStmt
  private readonly setStmt
  private readonly deleteStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string], StoredAttribute>('SELECT value, version FROM user_attributes WHERE user = ? AND name = ?')
    this.listStmt = db.prepare<[string], NamedAttribute>('SELECT name, value, version FROM user_attributes WHERE user = ? ORDER BY name')
    this.setStmt = db.prepare<[string, string, string, string]>(`INSERT INTO user_attributes (user, name, value, version) VALUES (?, ?, ?, ?)
      ON CONFLICT(user, name) DO UPDATE SET value = excluded.value, version = excluded.version`)
    this.deleteStmt = db.prepare<[string, string]>('DELETE FROM user_attributes WHERE user = ? AND name = ?')
  }

  get(user: string, name: string): StoredAttribute | undefined {
    return this.getStmt.get(user, name)
  }

  /** Every attribute of `user`, by name. */
  list(user: string): NamedAttribute[] {
    return this.listStmt.all(user)
  }

  /**
   * Stores a value under a new version. Versions are opaque to clients (the SDK keeps them as strings and
   * sends them back in `upv`), so 8 random bytes b64 do.
   */
  set(user: string, name: string, value: string): string {
    const version = randomBytes(8).toString('base64url')
    this.setStmt.run(user, name, value, version)
    return version
  }

  delete(user: string, name: string): boolean {
    return this.deleteStmt.run(user, name).changes > 0
  }
}
