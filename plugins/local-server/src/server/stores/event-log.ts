import {nowSeconds} from '../protocol/handles.js'
import type {Db} from './database.js'

export interface StoredEvent {
  id: number
  /** The packet (JSON) as megajs, go-mega and mega-shell's client get it on `sc`; '' when they do not get it. */
  packet: string
  /** The packet as the SDK gets it on `wsc`: null when it is `packet`, '' when the SDK does not get it. */
  sdk_packet: string | null
}

/**
 * The per-account action-packet log behind the `sc` channel. Event ids come from one AUTOINCREMENT sequence
 * shared by all accounts; an account's `sn` is simply the sequence value its client has seen, so an `f`
 * snapshot and its `sn` agree as long as both are read in one synchronous step. Packets are kept as JSON
 * text and sent without re-parsing, in the shape each dialect of reader gets (dialect.ts, command-dispatcher.ts).
 */
export class EventLog {
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly appendStmt
  private readonly afterStmt
  private readonly hasAfterStmt
  private readonly seqStmt
  private readonly floorStmt
  private readonly pruneFloorStmt
  private readonly pruneStmt

  constructor(db: Db) {
    this.appendStmt = db.prepare<[string, string, string | null, number]>(
      'INSERT INTO events (user, packet, sdk_packet, created) VALUES (?, ?, ?, ?)')
    this.afterStmt = db.prepare<[string, number, number], StoredEvent>(
      'SELECT id, packet, sdk_packet FROM events WHERE user = ? AND id > ? ORDER BY id LIMIT ?')
    this.hasAfterStmt = db.prepare<[string, number], {one: number}>('SELECT 1 AS one FROM events WHERE user = ? AND id > ? LIMIT 1')
    this.seqStmt = db.prepare<[], {seq: number}>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
    this.floorStmt = db.prepare<[string], {events_floor: number}>('SELECT events_floor FROM users WHERE handle = ?')
    this.pruneFloorStmt = db.prepare<[number]>(`UPDATE users SET events_floor = MAX(events_floor,
      COALESCE((SELECT MAX(id) FROM events WHERE events.user = users.handle AND events.created < ?), 0))`)
    this.pruneStmt = db.prepare<[number]>('DELETE FROM events WHERE created < ?')
  }

  /** The newest event id of the whole server (0 before the first event). */
  currentSeq(): number {
    return this.seqStmt.get()?.seq ?? 0
  }

  /** Event ids at or below this were pruned (or predate the account): an older `sn` must reload. */
  private floor(user: string): number {
    return this.floorStmt.get(user)?.events_floor ?? 0
  }

  /**
   * Whether a client of `user` that has seen everything up to `sn` can be brought up to date from this log: not
   * when the sn is from the future (another server's, or a data folder restored from backup) or older than what
   * was pruned. Such a client must reload with `f`.
   */
  canContinueFrom(user: string, sn: number): boolean {
    return sn <= this.currentSeq() && sn >= this.floor(user)
  }

  /** Stores a packet for `user`: `sdkPacket` as for StoredEvent.sdk_packet. */
  append(user: string, packet: string, sdkPacket: string | null): void {
    this.appendStmt.run(user, packet, sdkPacket, nowSeconds())
  }

  after(user: string, sn: number, limit: number): StoredEvent[] {
    return this.afterStmt.all(user, sn, limit)
  }

  hasAfter(user: string, sn: number): boolean {
    return this.hasAfterStmt.get(user, sn) !== undefined
  }

  /** Drops events older than `maxAgeSeconds`; clients still holding an older sn get ETOOMANY and reload. */
  prune(maxAgeSeconds: number): void {
    const cutoff = nowSeconds() - maxAgeSeconds
    this.pruneFloorStmt.run(cutoff)
    this.pruneStmt.run(cutoff)
  }

  /** Subscribes to new events of `user`; returns the unsubscribe function. */
  subscribe(user: string, listener: () => void): () => void {
    let set = this.listeners.get(user)
    if (!set) this.listeners.set(user, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(user) === set) this.listeners.delete(user)
    }
  }

  /** Wakes the subscribers of these accounts; call after the transaction that appended their events commits. */
  notify(users: Iterable<string>): void {
    for (const user of users) {
      for (const listener of [...(this.listeners.get(user) ?? [])]) listener()
    }
  }
}
