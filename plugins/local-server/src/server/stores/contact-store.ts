import type {Db} from './database.js'

/** Visibility of a contact as `f.u` and `c` packets carry it (mega-api.md §6.4; SDK visibility_t). */
export const Visibility = {HIDDEN: 0, VISIBLE: 1, ME: 2} as const

export interface ContactRow {
  user: string
  contact: string
  visibility: number
  ts: number
}

/** A pending contact request (upc), answered or cancelled ones are deleted. */
export interface ContactRequestRow {
  handle: string
  source: string
  target: string
  msg: string
  ts: number
  uts: number
  rts: number
  ignored: number
}

/** Contacts (both directions stored) and pending contact requests. */
export class ContactStore {
  private readonly contactStmt
  private readonly contactsStmt
  private readonly setContactStmt
  private readonly requestStmt
  private readonly requestBetweenStmt
  private readonly incomingStmt
  private readonly outgoingStmt
  private readonly insertRequestStmt
  private readonly deleteRequestStmt
  private readonly remindStmt
  private readonly ignoreStmt

  constructor(db: Db) {
    this.contactStmt = db.prepare<[string, string], ContactRow>('SELECT * FROM contacts WHERE user = ? AND contact = ?')
    this.contactsStmt = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE user = ? ORDER BY ts, contact')
    this.setContactStmt = db.prepare<ContactRow>(`INSERT INTO contacts (user, contact, visibility, ts) VALUES (@user, @contact, @visibility, @ts)
      ON CONFLICT(user, contact) DO UPDATE SET visibility = excluded.visibility, ts = excluded.ts`)
    this.requestStmt = db.prepare<[string], ContactRequestRow>('SELECT * FROM contact_requests WHERE handle = ?')
    this.requestBetweenStmt = db.prepare<[string, string], ContactRequestRow>('SELECT * FROM contact_requests WHERE source = ? AND target = ?')
    this.incomingStmt = db.prepare<[string], ContactRequestRow>('SELECT * FROM contact_requests WHERE target = ? ORDER BY ts, handle')
    this.outgoingStmt = db.prepare<[string], ContactRequestRow>('SELECT * FROM contact_requests WHERE source = ? ORDER BY ts, handle')
    this.insertRequestStmt = db.prepare<ContactRequestRow>(`INSERT INTO contact_requests (handle, source, target, msg, ts, uts, rts, ignored)
      VALUES (@handle, @source, @target, @msg, @ts, @uts, @rts, @ignored)`)
    this.deleteRequestStmt = db.prepare<[string]>('DELETE FROM contact_requests WHERE handle = ?')
    this.remindStmt = db.prepare<[number, string]>('UPDATE contact_requests SET rts = ?1, uts = ?1 WHERE handle = ?2')
    this.ignoreStmt = db.prepare<[number, string]>('UPDATE contact_requests SET ignored = 1, uts = ? WHERE handle = ?')
  }

  /** The visible contact relation from `user` to `contact`, if any. */
  isContact(user: string, contact: string): boolean {
    return this.contactStmt.get(user, contact)?.visibility === Visibility.VISIBLE
  }

  /** Every contact row of `user`, removed ones included (f.u lists them with c:0). */
  contactsOf(user: string): ContactRow[] {
    return this.contactsStmt.all(user)
  }

  /** Sets the relation both ways with one timestamp. */
  setMutual(a: string, b: string, visibility: number, ts: number): void {
    this.setContactStmt.run({user: a, contact: b, visibility, ts})
    this.setContactStmt.run({user: b, contact: a, visibility, ts})
  }

  request(handle: string): ContactRequestRow | undefined {
    return this.requestStmt.get(handle)
  }

  requestBetween(source: string, targetEmail: string): ContactRequestRow | undefined {
    return this.requestBetweenStmt.get(source, targetEmail.toLowerCase())
  }

  /** Requests sent to this email, ignored ones included. */
  incoming(email: string): ContactRequestRow[] {
    return this.incomingStmt.all(email.toLowerCase())
  }

  outgoing(user: string): ContactRequestRow[] {
    return this.outgoingStmt.all(user)
  }

  addRequest(row: ContactRequestRow): void {
    this.insertRequestStmt.run(row)
  }

  deleteRequest(handle: string): void {
    this.deleteRequestStmt.run(handle)
  }

  remind(handle: string, now: number): void {
    this.remindStmt.run(now, handle)
  }

  ignore(handle: string, now: number): void {
    this.ignoreStmt.run(now, handle)
  }
}
