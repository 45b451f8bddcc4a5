import type {Db} from './database.js'

/** Access levels of a share (mega-api.md §6.2; SDK accesslevel_t), with the owner's own as 3. */
export enum ShareAccess {
  READ = 0,
  READWRITE = 1,
  FULL = 2,
  OWNER = 3,
}

/** One of the account's folders shared with someone (`s`/`ps` in `f`, `s2` packets). */
export interface OutShare {
  node: string
  /** The sharee's user handle, or for a pending share the handle of the contact request that invited it. */
  user: string
  access: ShareAccess
  /** When it was shared (unix seconds). */
  ts: number
  /** Shared with someone who is not a contact yet: the share waits for the invitation to be accepted. */
  pending: boolean
}

/** A folder someone else shares with the account: its top folder, its owner (user handle) and the access given. */
export interface InShare {
  node: string
  owner: string
  access: ShareAccess
  ts: number
}

interface OutRow extends Omit<OutShare, 'pending'> {
  pending: number
}

/**
 * The account's shares as the cache keeps them, filled from `f` and kept current by `s`/`s2` packets
 * (session/share-sync.ts). Their keys are in the node store's share_keys.
 */
export class ShareStore {
  private readonly stmts

  constructor(db: Db) {
    this.stmts = {
      out: db.prepare<[], OutRow>('SELECT * FROM out_shares ORDER BY ts, user'),
      outOf: db.prepare<[string], OutRow>('SELECT * FROM out_shares WHERE node = ? ORDER BY ts, user'),
      setOut: db.prepare(`INSERT INTO out_shares (node, user, access, ts, pending) VALUES (@node, @user, @access, @ts, @pending)
        ON CONFLICT(node, user) DO UPDATE SET access = excluded.access, ts = excluded.ts, pending = excluded.pending`),
      removeOut: db.prepare('DELETE FROM out_shares WHERE node = ? AND user = ?'),
      in: db.prepare<[], InShare>('SELECT * FROM in_shares ORDER BY ts, node'),
      inOf: db.prepare<[string], InShare>('SELECT * FROM in_shares WHERE node = ?'),
      setIn: db.prepare(`INSERT INTO in_shares (node, owner, access, ts) VALUES (@node, @owner, @access, @ts)
        ON CONFLICT(node) DO UPDATE SET owner = excluded.owner, access = excluded.access, ts = excluded.ts`),
      removeIn: db.prepare('DELETE FROM in_shares WHERE node = ?'),
      clearOut: db.prepare('DELETE FROM out_shares'),
      clearIn: db.prepare('DELETE FROM in_shares'),
    }
  }

  /** Every share of the account's folders (pending ones included), oldest first; those of one folder with `node`. */
  outShares(node?: string): OutShare[] {
    const rows = node === undefined ? this.stmts.out.all() : this.stmts.outOf.all(node)
    return rows.map((row) => ({...row, pending: row.pending === 1}))
  }

  setOutShare(share: OutShare): void {
    this.stmts.setOut.run({...share, pending: share.pending ? 1 : 0})
  }

  removeOutShare(node: string, user: string): void {
    this.stmts.removeOut.run(node, user)
  }

  /** The folders shared with the account, oldest first. */
  inShares(): InShare[] {
    return this.stmts.in.all()
  }

  /** The share whose top folder is `node`, if it is one. */
  inShare(node: string): InShare | undefined {
    return this.stmts.inOf.get(node)
  }

  setInShare(share: InShare): void {
    this.stmts.setIn.run(share)
  }

  removeInShare(node: string): void {
    this.stmts.removeIn.run(node)
  }

  clear(): void {
    this.stmts.clearOut.run()
    this.stmts.clearIn.run()
  }
}
