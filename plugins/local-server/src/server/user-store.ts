import type {Db} from './database.js'

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
  transfer_max: number
  events_floor: number
  created: number
}

export class UserStore {
  private readonly byEmailStmt
  private readonly byHandleStmt
  private readonly insertStmt
  private readonly countStmt
  private readonly totpStmt

  constructor(db: Db) {
    this.byEmailStmt = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?')
    this.byHandleStmt = db.prepare<[string], UserRow>('SELECT * FROM users WHERE handle = ?')
    this.insertStmt = db.prepare<UserRow>(`INSERT INTO users (handle, email, name, version, k, uh, salt, pubk, privk,
      ts, totp_secret, totp_last_step, root, inbox, rubbish, storage_max, transfer_max, events_floor, created)
      VALUES (@handle, @email, @name, @version, @k, @uh, @salt, @pubk, @privk, @ts, @totp_secret, @totp_last_step,
      @root, @inbox, @rubbish, @storage_max, @transfer_max, @events_floor, @created)`)
    this.countStmt = db.prepare<[], {n: number}>('SELECT COUNT(*) AS n FROM users')
    this.totpStmt = db.prepare<[number, string]>('UPDATE users SET totp_last_step = ? WHERE handle = ?')
  }

  /** Emails are compared lower-cased, as clients hash them (mega-api.md §2.1). */
  byEmail(email: string): UserRow | undefined {
    return this.byEmailStmt.get(email.toLowerCase())
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
}
