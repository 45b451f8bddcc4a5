import type {Db} from './database.js'

/**
 * Visibility of a user (mega-api.md §6.4; SDK visibility_t, MegaUser::VISIBILITY_*): 0 hidden (a removed
 * contact), 1 visible contact, 2 inactive (the server gives the own user 2), 3 blocked.
 */
export enum Visibility {
  HIDDEN = 0,
  VISIBLE = 1,
  INACTIVE = 2,
  BLOCKED = 3,
}

/** A user the account knows: a contact, a former one, or itself (`f` member `u`, `c` packets). */
export interface ContactUser {
  handle: string
  email: string
  visibility: Visibility
  /** When the relation last changed (unix seconds; "Contact since" in MEGAcmd's `users`). */
  ts: number
}

/** A pending contact request (PCR), incoming (`ipc`) or outgoing (`opc`). */
export interface ContactRequest {
  /** The PCR handle (`p`; "id" in showpcr). */
  handle: string
  outgoing: boolean
  /** The other party: the target of an outgoing request, the sender of an incoming one. */
  email: string
  /** Creation and last-update times (unix seconds). */
  ts: number
  uts: number
  /** Last reminder, for outgoing requests (`rts`). */
  rts: number | null
  msg: string | null
}

interface RequestRow {
  handle: string
  outgoing: number
  email: string
  ts: number
  uts: number
  rts: number | null
  msg: string | null
}

const toRequest = (row: RequestRow): ContactRequest => ({...row, outgoing: row.outgoing === 1})

/**
 * The account's contacts and pending contact requests as the cache keeps them: filled from `f` and kept
 * current by the `c`, `ipc`, `opc`, `upci`, `upco` action packets (session/tree-sync.ts), so a command
 * sees an invitation that arrived since the last one through the normal catch-up.
 */
export class ContactStore {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      users: db.prepare<[], ContactUser>('SELECT * FROM users ORDER BY email COLLATE NOCASE, handle'),
      userByHandle: db.prepare<[string], ContactUser>('SELECT * FROM users WHERE handle = ?'),
      userByEmail: db.prepare<[string], ContactUser>('SELECT * FROM users WHERE email = ? COLLATE NOCASE'),
      upsertUser: db.prepare(`INSERT INTO users (handle, email, visibility, ts) VALUES (@handle, @email, @visibility, @ts)
        ON CONFLICT(handle) DO UPDATE SET email = excluded.email, visibility = excluded.visibility, ts = excluded.ts`),
      requests: db.prepare<[number], RequestRow>('SELECT * FROM contact_requests WHERE outgoing = ? ORDER BY ts, handle'),
      request: db.prepare<[string], RequestRow>('SELECT * FROM contact_requests WHERE handle = ?'),
      upsertRequest: db.prepare(`INSERT INTO contact_requests (handle, outgoing, email, ts, uts, rts, msg)
        VALUES (@handle, @outgoing, @email, @ts, @uts, @rts, @msg)
        ON CONFLICT(handle) DO UPDATE SET outgoing = excluded.outgoing, email = excluded.email, ts = excluded.ts,
          uts = excluded.uts, rts = excluded.rts, msg = excluded.msg`),
      deleteRequest: db.prepare('DELETE FROM contact_requests WHERE handle = ?'),
      clearUsers: db.prepare('DELETE FROM users'),
      clearRequests: db.prepare('DELETE FROM contact_requests'),
    }
  }

  /** Every known user (the own one included), by email. */
  users(): ContactUser[] {
    return this.stmts.users.all()
  }

  /** A user by handle or (case-insensitive) email. */
  user(handleOrEmail: string): ContactUser | undefined {
    return handleOrEmail.includes('@') ? this.stmts.userByEmail.get(handleOrEmail) : this.stmts.userByHandle.get(handleOrEmail)
  }

  upsertUser(user: ContactUser): void {
    this.stmts.upsertUser.run(user)
  }

  /** Pending requests in one direction, oldest first. */
  requests(outgoing: boolean): ContactRequest[] {
    return this.stmts.requests.all(outgoing ? 1 : 0).map(toRequest)
  }

  request(handle: string): ContactRequest | undefined {
    const row = this.stmts.request.get(handle)
    return row && toRequest(row)
  }

  upsertRequest(request: ContactRequest): void {
    this.stmts.upsertRequest.run({...request, outgoing: request.outgoing ? 1 : 0})
  }

  deleteRequest(handle: string): void {
    this.stmts.deleteRequest.run(handle)
  }

  clear(): void {
    this.stmts.clearUsers.run()
    this.stmts.clearRequests.run()
  }
}
