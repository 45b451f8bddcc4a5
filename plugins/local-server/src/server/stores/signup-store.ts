import type {Db} from './database.js'

/** A signup link waiting for confirmation (table `signups`, mega-api.md §3.5). */
export interface SignupRow {
  token: string
  user: string
  email: string
  name: string
  version: number
  k: string | null
  hak: string | null
  salt: string | null
  c: string | null
  created: number
}

export class SignupStore {
  private readonly byTokenStmt
  private readonly latestForEmailStmt
  private readonly insertStmt
  private readonly deleteForEmailStmt
  private readonly deleteForUserStmt

  constructor(db: Db) {
    this.byTokenStmt = db.prepare<[string], SignupRow>('SELECT * FROM signups WHERE token = ?')
    this.latestForEmailStmt = db.prepare<[string], SignupRow>('SELECT * FROM signups WHERE email = ? ORDER BY created DESC, rowid DESC LIMIT 1')
    this.insertStmt = db.prepare<SignupRow>(`INSERT INTO signups (token, user, email, name, version, k, hak, salt, c, created)
      VALUES (@token, @user, @email, @name, @version, @k, @hak, @salt, @c, @created)`)
    this.deleteForEmailStmt = db.prepare<[string]>('DELETE FROM signups WHERE email = ?')
    this.deleteForUserStmt = db.prepare<[string]>('DELETE FROM signups WHERE user = ?')
  }

  byToken(token: string): SignupRow | undefined {
    return this.byTokenStmt.get(token)
  }

  /** The newest link sent for an email: it decides what `us0`/`us` say about an unconfirmed account. */
  latestForEmail(email: string): SignupRow | undefined {
    return this.latestForEmailStmt.get(email.toLowerCase())
  }

  /** A new link replaces every earlier one for the same email (or from the same ephemeral account). */
  replace(row: SignupRow): void {
    this.deleteForEmailStmt.run(row.email)
    this.deleteForUserStmt.run(row.user)
    this.insertStmt.run(row)
  }

  /** Once confirmed, no link of that email or account works again. */
  consume(row: SignupRow): void {
    this.deleteForEmailStmt.run(row.email)
    this.deleteForUserStmt.run(row.user)
  }
}
