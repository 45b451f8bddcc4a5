import {setTimeout as sleep} from 'node:timers/promises'

/**
 * Holds one data request to at most `bytesPerSecond` (the `slowbytes` fault, faults.ts): before each piece moves,
 * it waits until the bytes moved since the request began, that piece included, are no more than the rate allows.
 * So a request of B bytes never ends sooner than B / rate seconds after it began, a lower bound tests can rely on
 * (the clock is re-read after each timer, which may fire a little early).
 */
export class Pacer {
  /** The largest piece moved in one go: a sixteenth of a second's worth, so the flow stays smooth. */
  readonly piece: number
  private readonly began = performance.now()
  private moved = 0

  constructor(readonly bytesPerSecond: number, maxPiece: number = 1 << 20) {
    this.piece = Math.max(1, Math.min(maxPiece, Math.floor(bytesPerSecond / 16)))
  }

  /** Resolves once `bytes` more may move. */
  async admit(bytes: number): Promise<void> {
    this.moved += bytes
    const due = this.began + (this.moved * 1000) / this.bytesPerSecond
    for (let now = performance.now(); now < due; now = performance.now()) await sleep(Math.ceil(due - now))
  }
}

/** A pacer for one request, or none when the rate is 0 (unlimited). */
export function pacerFor(bytesPerSecond: number): Pacer | undefined {
  return bytesPerSecond > 0 ? new Pacer(bytesPerSecond) : undefined
}
