/**
 * A fixed number of equally sized piece buffers, reused for the whole transfer. Fresh large allocations cost a
 * page fault per 4 KiB on first touch; reusing a few buffers keeps that to a one-time cost and bounds memory to
 * `count × size`. With `shared`, each buffer spans a whole SharedArrayBuffer, which worker threads use in place.
 */
export class BufferPool {
  private readonly free: Buffer[] = []
  private readonly waiting: Array<(buffer: Buffer) => void> = []
  private allocated = 0

  constructor(readonly count: number, readonly size: number, private readonly shared = false) {}

  /** Resolves with a buffer of `size` bytes as soon as one is free. */
  acquire(): Promise<Buffer> {
    const buffer = this.free.pop()
    if (buffer) return Promise.resolve(buffer)
    if (this.allocated < this.count) {
      this.allocated++
      return Promise.resolve(this.shared ? Buffer.from(new SharedArrayBuffer(this.size)) : Buffer.allocUnsafeSlow(this.size))
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  release(buffer: Buffer): void {
    const waiter = this.waiting.shift()
    if (waiter) waiter(buffer)
    else this.free.push(buffer)
  }
}
