import type {TransferUseStore} from '../stores/download-store.js'
import type {UserStore} from '../stores/user-store.js'

/** Seconds one bucket of the window covers (the SDK's `transfer_hist_interval`, include/mega/account.h). */
export const BUCKET_SECONDS = 3600
/** Buckets in the window: "6 entries for 6 hours" (`tah`, CommandGetUserQuota::procresult, src/commands.cpp). */
export const WINDOW_BUCKETS = 6
/** MEGA's first transfer chunk (mega-api.md §5.2): the least a download can move. */
export const FIRST_CHUNK = 128 * 1024

/**
 * The part of an account's allowance a data request holds while it runs (the bytes it asked for). `charge` counts
 * the bytes it hands its socket, at once (uq includes them); `settle` ends it, writing what it charged to its hour.
 */
export interface Reservation {
  charge(bytes: number): void
  settle(): void
}

/** A request that does not fit: when it would (seconds, at least 1), for `X-MEGA-Time-Left` and `tl`. */
export interface OverQuota {
  secondsLeft: number
}

/** What the running data requests of one account hold and have already sent. */
interface InFlight {
  held: number
  charged: number
}

/**
 * Each account's transfer quota: the bytes it downloaded through its download URLs (`g` with a session, then the
 * data URL) over a rolling window of the last six hours, counted in hourly buckets, against its `transfer_max`
 * (useradd --transfer-quota, default 10 TiB). The window is the one of MEGA's free transfer quota, whose usage the
 * API reports as six hourly buckets (`tah`, the SDK's "free IP-based quota buckets, 6 entries for 6 hours";
 * webclient js/fm/megadata/account.js adds them to the used transfer); bytes leave it when their hour is six hours
 * old. This server keeps one allowance per account instead of MEGA's per-IP free one plus a PRO allowance.
 *
 * A data request holds the bytes it asks for while it runs, so parallel requests cannot together overdraw the
 * allowance (MEGA's API also reports reserved transfer, `tar`/`rua`/`ruo`), and is charged the bytes it really
 * sends. Downloads without a session (a public link, a folder link) count for nobody: MEGA charges those to the
 * IP's free quota, or to the owner only up to its `srvratio`, which this server reports as 0 (uq).
 */
export class TransferQuota {
  /** Per account, what its running data requests hold (in memory: requests end with the process). */
  private readonly inFlight = new Map<string, InFlight>()

  constructor(
    private readonly store: TransferUseStore,
    private readonly users: UserStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Bytes `user` downloaded within the window, those of requests still running included. */
  used(user: string): number {
    return this.windowBytes(user) + (this.inFlight.get(user)?.charged ?? 0)
  }

  /** Bytes `user` may still start downloading now. */
  remaining(user: string): number {
    return Math.max(0, this.max(user) - this.windowBytes(user) - (this.inFlight.get(user)?.held ?? 0))
  }

  /** Holds `bytes` of the allowance of `user` for a data request, or says when they would fit. */
  reserve(user: string, bytes: number): Reservation | OverQuota {
    if (bytes > this.remaining(user)) return {secondsLeft: this.secondsUntilFits(user, bytes)}
    const flight = this.inFlight.get(user) ?? {held: 0, charged: 0}
    this.inFlight.set(user, flight)
    flight.held += bytes
    let charged = 0
    let settled = false
    return {
      charge: (sent: number) => {
        // Never more than it holds: the request was sized when it started.
        const n = settled ? 0 : Math.min(sent, bytes - charged)
        charged += n
        flight.charged += n
      },
      settle: () => {
        if (settled) return
        settled = true
        flight.held -= bytes
        flight.charged -= charged
        if (flight.held <= 0) this.inFlight.delete(user)
        if (charged > 0) this.store.add(user, this.hour(), charged)
      },
    }
  }

  /**
   * Whole seconds (at least 1) until `bytes` more fit the allowance of `user`: the oldest hours leave the window one
   * by one (the bytes running requests hold count as this hour's, when they will be charged at the latest). A
   * request larger than the whole allowance never fits: it is told the length of the window, six hours.
   */
  secondsUntilFits(user: string, bytes: number): number {
    const max = this.max(user)
    if (bytes > max) return WINDOW_BUCKETS * BUCKET_SECONDS
    const now = this.clock() / 1000
    const current = this.hour()
    const buckets = this.buckets(user)
    const held = this.inFlight.get(user)?.held ?? 0
    if (held > 0) {
      if (buckets.at(-1)?.hour === current) buckets[buckets.length - 1] = {hour: current, bytes: buckets.at(-1)!.bytes + held}
      else buckets.push({hour: current, bytes: held})
    }
    let total = buckets.reduce((sum, b) => sum + b.bytes, 0)
    let wait = 1
    for (const bucket of buckets) {
      if (total + bytes <= max) break
      total -= bucket.bytes
      wait = Math.ceil((bucket.hour + WINDOW_BUCKETS) * BUCKET_SECONDS - now)
    }
    return Math.max(1, wait)
  }

  /** Drops buckets that left the window, for good. */
  prune(): void {
    this.store.prune(this.hour() - WINDOW_BUCKETS + 1)
  }

  private max(user: string): number {
    return this.users.byHandle(user)?.transfer_max ?? 0
  }

  private windowBytes(user: string): number {
    return this.buckets(user).reduce((sum, b) => sum + b.bytes, 0)
  }

  private buckets(user: string) {
    return this.store.since(user, this.hour() - WINDOW_BUCKETS + 1)
  }

  private hour(): number {
    return Math.floor(this.clock() / 1000 / BUCKET_SECONDS)
  }
}
