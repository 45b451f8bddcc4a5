/**
 * A fixed number of equally sized piece buffers, reused for the whole transfer. Fresh large allocations cost a
 * page fault per 4 KiB on first touch; reusing a few buffers keeps that to a one-time cost and bounds memory to
 * `count × size`. Each buffer owns its ArrayBuffer (allocUnsafeSlow), so it can be moved to a worker and back.
 */
export class BufferPool {
  private readonly free: Buffer[] = []
  private readonly waiting: Array<(buffer: Buffer) => void> = []
  private allocated = 0

  constructor(readonly count: number, readonly size: number) {}

  /** Resolves with a buffer of `size` bytes as soon as one is free. */
  acquire(): Promise<Buffer> {
    const buffer = this.free.pop()
    if (buffer) return Promise.resolve(buffer)
    if (this.allocated < this.count) {
      this.allocated++
      return Promise.resolve(Buffer.allocUnsafeSlow(this.size))
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  /** Gives a buffer back (possibly a new Buffer object over the same memory, after a round trip to a worker). */
  release(buffer: Buffer): void {
    const waiter = this.waiting.shift()
    if (waiter) waiter(buffer)
    else this.free.push(buffer)
  }

  /** Forgets a buffer that was lost (e.g. moved to a worker that failed), so a new one can take its place. */
  discard(): void {
    const waiter = this.waiting.shift()
    if (waiter) waiter(Buffer.allocUnsafeSlow(this.size))
    else this.allocated--
  }
}
