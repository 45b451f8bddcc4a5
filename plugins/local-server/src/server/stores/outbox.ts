import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {nowSeconds} from '../protocol/handles.js'
import {DATABASE_FILE, openDatabase, type Db} from './database.js'

export type MailKind = 'signup' | 'contact-request'

/** One message the real service would have emailed (shown by `local-server:outbox`). */
export interface Mail {
  id: number
  to: string
  kind: MailKind
  subject: string
  body: string
  link: string | null
  sent: number
}

interface MailRow {
  id: number
  recipient: string
  kind: MailKind
  subject: string
  body: string
  link: string | null
  sent: number
}

/**
 * The local server's "sent mail". Nothing leaves the machine: confirmation links and invitations are kept
 * here so a user (or a test) can read them, as they would read the mail MEGA sends.
 */
export class Outbox {
  private readonly insertStmt
  private readonly allStmt
  private readonly forStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, string | null, number]>(
      'INSERT INTO outbox (recipient, kind, subject, body, link, sent) VALUES (?, ?, ?, ?, ?, ?)')
    this.allStmt = db.prepare<[], MailRow>('SELECT * FROM outbox ORDER BY id')
    this.forStmt = db.prepare<[string], MailRow>('SELECT * FROM outbox WHERE recipient = ? ORDER BY id')
  }

  send(mail: {to: string; kind: MailKind; subject: string; body: string; link?: string}): void {
    this.insertStmt.run(mail.to.toLowerCase(), mail.kind, mail.subject, mail.body, mail.link ?? null, nowSeconds())
  }

  /** Every message, oldest first; only those to `email` when given. */
  list(email?: string): Mail[] {
    const rows = email ? this.forStmt.all(email.trim().toLowerCase()) : this.allStmt.all()
    return rows.map((r) => ({id: r.id, to: r.recipient, kind: r.kind, subject: r.subject, body: r.body, link: r.link, sent: r.sent}))
  }
}

/** The outbox of a data folder, read whether or not a server runs on it (empty when there is no database). */
export function readOutbox(dataDir: string, email?: string): Mail[] {
  if (!existsSync(join(dataDir, DATABASE_FILE))) return []
  const db = openDatabase(dataDir)
  try {
    return new Outbox(db).list(email)
  } finally {
    db.close()
  }
}
