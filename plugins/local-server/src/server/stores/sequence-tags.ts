import type {Db} from './database.js'

/** Digits of a sequence tag; more appear only past 10^10 tags, which keeps the order below intact. */
const WIDTH = 10

/**
 * Sequence tags (`st`, sdk-dialect.md §1.4): the string a v3 `cs` reply and the action packets it caused have
 * in common, so the SDK can finish the command only once its packets arrived on `sc`. The SDK orders tags by
 * length, then bytewise (MegaClient::sc_checkSequenceTag keeps mLargestEverSeenScSeqTag that way, and
 * Request::processSeqTag asserts each new tag is larger), so they are zero-padded decimal numbers from one
 * counter in the database: increasing across restarts, and rolled back with the command that drew one.
 * MEGA's own format is not known (the SDK treats tags as opaque strings).
 */
export class SequenceTags {
  private readonly nextStmt

  constructor(db: Db) {
    this.nextStmt = db.prepare<[], {last: number}>('UPDATE sequence_tags SET last = last + 1 WHERE id = 1 RETURNING last')
  }

  /** A new tag, larger than every one handed out before. Call inside the command's transaction. */
  next(): string {
    const row = this.nextStmt.get()
    if (!row) throw new Error('sequence_tags row missing')
    return String(row.last).padStart(WIDTH, '0')
  }
}
