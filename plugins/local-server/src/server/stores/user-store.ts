import {newNodeHandle, newUserHandle, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'
import {NodeType} from './node-store.js'

/** One account as stored: only what the real service holds (encrypted master key, hashes, public data). */
export interface UserRow {
  handle: string
  email: string
  name: string
  version: number
  k: string
  uh: string
  salt: string | null
  pubk: string | null
  privk: string | null
  ts: string
  totp_secret: string | null
  totp_last_step: number | null
  root: string
  inbox: string
  rubbish: string
  storage_max: number
  /** Bytes of all its file nodes, versions included; triggers keep it (database.ts migration 7). */
  storage_used: number
  transfer_max: number
  events_floor: number
  created: number
  /** 0 for an ephemeral account whose signup is not confirmed yet (its email is a placeholder). */
  confirmed: number
  /** 0 free, 1-3 PRO I-III, 4 PRO Lite: what `uq` reports as `utype` (migration 5). */
  pro_level: number
}

/** What a password gives an account: its login version, the master key under it, the login hash, the v2 salt. */
export type PasswordLogin = Pick<UserRow, 'version' | 'k' | 'uh' | 'salt'>

/** What confirming a signup link turns an ephemeral account into (mega-api.md §3.5). */
export type ConfirmedLogin = PasswordLogin & Pick<UserRow, 'email' | 'name'>

/** The login email column of an account that has none yet (see migration 2). */
export function placeholderEmail(handle: string): string {
  return `~${handle}`
}

export class UserStore {
  private readonly byEmailStmt
  private readonly byHandleStmt
  private readonly insertStmt
  private readonly countStmt
  private readonly totpStmt
  private readonly confirmStmt
  private readonly passwordStmt
  private readonly keyPairStmt
  private readonly nameStmt
  private readonly proLevelStmt

  constructor(db: Db) {
    this.byEmailStmt = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?')
    this.byHandleStmt = db.prepare<[string], UserRow>('SELECT * FROM users WHERE handle = ?')
    this.insertStmt = db.prepare<UserRow>(`INSERT INTO users (handle, email, name, version, k, uh, salt, pubk, privk,
      ts, totp_secret, totp_last_step, root, inbox, rubbish, storage_max, transfer_max, events_floor, created, confirmed, pro_level)
      VALUES (@handle, @email, @name, @version, @k, @uh, @salt, @pubk, @privk, @ts, @totp_secret, @totp_last_step,
      @root, @inbox, @rubbish, @storage_max, @transfer_max, @events_floor, @created, @confirmed, @pro_level)`)
    this.countStmt = db.prepare<[], {n: number}>('SELECT COUNT(*) AS n FROM users')
    this.totpStmt = db.prepare<[number, string]>('UPDATE users SET totp_last_step = ? WHERE handle = ?')
    this.confirmStmt = db.prepare<ConfirmedLogin & {handle: string}>(`UPDATE users SET email = @email, name = @name,
      version = @version, k = @k, uh = @uh, salt = @salt, confirmed = 1 WHERE handle = @handle`)
    this.passwordStmt = db.prepare<PasswordLogin & {handle: string}>(
      'UPDATE users SET version = @version, k = @k, uh = @uh, salt = @salt WHERE handle = @handle')
    this.keyPairStmt = db.prepare<[string, string, string]>('UPDATE users SET pubk = ?, privk = ? WHERE handle = ?')
    this.nameStmt = db.prepare<[string, string]>('UPDATE users SET name = ? WHERE handle = ?')
    this.proLevelStmt = db.prepare<[number, string]>('UPDATE users SET pro_level = ? WHERE handle = ?')
  }

  /** Emails are compared lower-cased, as clients hash them (mega-api.md §2.1). Only real login emails match. */
  byEmail(email: string): UserRow | undefined {
    if (!email.includes('@')) return undefined
    return this.byEmailStmt.get(email.toLowerCase())
  }

  /** An account named by its handle or its login email (uga, uk, ur2 accept either, mega-api.md §3.9). */
  byHandleOrEmail(id: string): UserRow | undefined {
    return id.includes('@') ? this.byEmail(id) : this.byHandle(id)
  }

  byHandle(handle: string): UserRow | undefined {
    return this.byHandleStmt.get(handle)
  }

  insert(row: UserRow): void {
    this.insertStmt.run(row)
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0
  }

  setTotpStep(handle: string, step: number): void {
    this.totpStmt.run(step, handle)
  }

  confirm(handle: string, login: ConfirmedLogin): void {
    this.confirmStmt.run({handle, ...login})
  }

  setPassword(handle: string, login: PasswordLogin): void {
    this.passwordStmt.run({handle, ...login})
  }

  setKeyPair(handle: string, pubk: string, privk: string): void {
    this.keyPairStmt.run(pubk, privk, handle)
  }

  setName(handle: string, name: string): void {
    this.nameStmt.run(name, handle)
  }

  setProLevel(handle: string, level: number): void {
    this.proLevelStmt.run(level, handle)
  }
}

/** The columns of a new account that the caller decides; the rest (handle, roots, counters) come from here. */
export type NewUserRow = Omit<UserRow, 'handle' | 'root' | 'inbox' | 'rubbish' | 'events_floor' | 'created' | 'totp_last_step' | 'pro_level' | 'storage_used'>

/**
 * Inserts an account (an empty email gets the placeholder of an ephemeral one) with its root, inbox (vault)
 * and rubbish bin, inside the caller's transaction. Its events start after the current sequence, so no older
 * `sn` can replay another account's packets to it.
 */
export function insertUser(db: Db, fields: NewUserRow, now = nowSeconds()): UserRow {
  const seq = db.prepare<[], {seq: number}>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()?.seq ?? 0
  const handle = newUserHandle()
  const row: UserRow = {
    ...fields, email: fields.email || placeholderEmail(handle), handle,
    root: newNodeHandle(), inbox: newNodeHandle(), rubbish: newNodeHandle(),
    totp_last_step: null, events_floor: seq, created: now, pro_level: 0, storage_used: 0,
  }
  new UserStore(db).insert(row)
  const insertNode = db.prepare<[string, string, number, number]>(
    "INSERT INTO nodes (handle, owner, parent, type, attrs, key, ts) VALUES (?, ?, NULL, ?, '', '', ?)")
  insertNode.run(row.root, handle, NodeType.ROOT, now)
  insertNode.run(row.inbox, handle, NodeType.INBOX, now)
  insertNode.run(row.rubbish, handle, NodeType.RUBBISH, now)
  return row
}
