import {newSessionId} from '@mega-shell/core'
import {newSessionHandle, nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'

export interface Session {
  sid: string
  handle: string
  user: string
  created: number
  lastUsed: number
  alive: boolean
  userAgent: string
  ip: string
  /** The session key (b64, 16 bytes) given at login in the SDK dialect; null for other clients. */
  sek: string | null
}

/** Where a login comes from, and the session key to keep for it. */
export interface SessionOrigin {
  userAgent: string
  ip: string
  sek?: string | null
}

interface SessionRow {
  sid: string
  handle: string
  user: string
  created: number
  last_used: number
  alive: number
  user_agent: string
  ip: string
  sek: string | null
}

/** How often last-use times reach the database (every request would be a write per command). */
const TOUCH_INTERVAL_S = 60

/**
 * Login sessions, stored so they survive restarts and can be listed (`usl`) and killed (`sml`, `usr`).
 * Only this server process creates or kills sessions, so a cache in front of the table stays exact.
 */
export class SessionStore {
  private readonly cache = new Map<string, Session>()
  private readonly killListeners: Array<(session: Session) => void> = []
  private readonly getStmt
  private readonly insertStmt
  private readonly killStmt
  private readonly reviveStmt
  private readonly touchStmt
  private readonly listStmt

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE sid = ?')
    this.insertStmt = db.prepare<SessionRow>(`INSERT INTO sessions (sid, handle, user, created, last_used, alive, user_agent, ip, sek)
      VALUES (@sid, @handle, @user, @created, @last_used, @alive, @user_agent, @ip, @sek)`)
    this.killStmt = db.prepare<[string]>('UPDATE sessions SET alive = 0 WHERE sid = ?')
    this.reviveStmt = db.prepare<[number, string | null, string]>('UPDATE sessions SET alive = 1, last_used = ?, sek = ? WHERE sid = ?')
    this.touchStmt = db.prepare<[number, string]>('UPDATE sessions SET last_used = ? WHERE sid = ?')
    this.listStmt = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE user = ? ORDER BY created')
  }

  /**
   * A new session for `user`: the 43-byte sid carries the user handle at bytes 16..27 and never starts with a
   * zero byte, which legacy clients would strip after RSA decryption (mega-api.md §2.3, §2.4). A `tsid` is the
   * same for every login of its account (§2.4), so logging in with one again revives its session.
   */
  create(user: string, origin: SessionOrigin, sidBytes: Buffer = newSessionId(user)): {session: Session; sidBytes: Buffer} {
    const now = nowSeconds()
    const sid = sidBytes.toString('base64url')
    const sek = origin.sek ?? null
    const existing = this.getStmt.get(sid)
    if (existing) {
      this.reviveStmt.run(now, sek, sid)
      const session = fromRow({...existing, alive: 1, last_used: now, sek})
      this.cache.set(sid, session)
      return {session, sidBytes}
    }
    const row: SessionRow = {
      sid, handle: newSessionHandle(), user, created: now, last_used: now, alive: 1,
      user_agent: origin.userAgent.slice(0, 200), ip: origin.ip, sek,
    }
    this.insertStmt.run(row)
    const session = fromRow(row)
    this.cache.set(session.sid, session)
    return {session, sidBytes}
  }

  /** The live session with this sid, or undefined (unknown or killed). */
  lookup(sid: string): Session | undefined {
    let session = this.cache.get(sid)
    if (!session) {
      const row = this.getStmt.get(sid)
      if (!row) return undefined
      session = fromRow(row)
      this.cache.set(sid, session)
    }
    return session.alive ? session : undefined
  }

  touch(session: Session): void {
    const now = nowSeconds()
    if (now - session.lastUsed < TOUCH_INTERVAL_S) return
    session.lastUsed = now
    this.touchStmt.run(now, session.sid)
  }

  kill(session: Session): void {
    this.killStmt.run(session.sid)
    session.alive = false
    this.cache.set(session.sid, session)
    for (const listener of this.killListeners) listener(session)
  }

  list(user: string): Session[] {
    return this.listStmt.all(user).map((row) => this.cache.get(row.sid) ?? fromRow(row))
  }

  /** Called after a session dies, e.g. to release its blocked wait requests. */
  onKill(listener: (session: Session) => void): void {
    this.killListeners.push(listener)
  }
}

function fromRow(row: SessionRow): Session {
  return {
    sid: row.sid, handle: row.handle, user: row.user, created: row.created, lastUsed: row.last_used,
    alive: row.alive === 1, userAgent: row.user_agent, ip: row.ip, sek: row.sek,
  }
}
