/** Progress of one transfer, in plaintext bytes. */
export interface TransferProgress {
  bytesDone: number
  bytesTotal: number
}

export type ProgressListener = (progress: TransferProgress) => void

/**
 * Counts bytes moved by parallel requests and reports them at most every `intervalMs`, plus once at the end.
 * Each piece reports its own running count; a retried piece starts again from 0 but the total never goes back,
 * because only bytes beyond what that piece already reported are counted.
 */
export class ProgressCounter {
  private done = 0
  private readonly perPiece = new Map<number, number>()
  private lastEmit = 0

  constructor(
    private readonly total: number,
    private readonly listener?: ProgressListener,
    private readonly intervalMs = 100,
  ) {}

  /** Bytes an earlier attempt moved (a resumed transfer): counted as done from the start. */
  skip(bytes: number): void {
    this.done += bytes
  }

  /** Piece `piece` has now moved `bytes` bytes in its current attempt. */
  update(piece: number, bytes: number): void {
    const before = this.perPiece.get(piece) ?? 0
    if (bytes <= before) return
    this.perPiece.set(piece, bytes)
    this.done += bytes - before
    if (!this.listener) return
    const now = Date.now()
    if (now - this.lastEmit >= this.intervalMs) {
      this.lastEmit = now
      this.listener({bytesDone: this.done, bytesTotal: this.total})
    }
  }

  /** Reports the final state (all bytes done). */
  finish(): void {
    this.done = this.total
    this.listener?.({bytesDone: this.total, bytesTotal: this.total})
  }
}
