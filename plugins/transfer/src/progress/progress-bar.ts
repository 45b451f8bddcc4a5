import {sizeToText, type TransferProgress} from '@mega-shell/core'

/**
 * MEGAcmd's transfer bar on stderr, only on a terminal and never with --json:
 * `TRANSFERRING ||####……||(12/40 MB:  30.00 %)` (megacmd-reference.md §4 "Progress").
 * Several files in flight report into one bar: each reports its own running count.
 */
export class ProgressBar {
  private readonly perFile = new Map<string, number>()
  private done = 0
  private lastDraw = 0
  private readonly enabled: boolean

  constructor(private readonly total: number, enabled: boolean) {
    this.enabled = enabled && Boolean(process.stderr.isTTY)
  }

  /** One file's progress; files are keyed so parallel ones add up. */
  update(key: string, {bytesDone}: TransferProgress): void {
    const before = this.perFile.get(key) ?? 0
    this.perFile.set(key, bytesDone)
    this.done += bytesDone - before
    this.draw()
  }

  finish(): void {
    if (this.enabled && this.lastDraw) process.stderr.write('\r\x1b[K')
  }

  private draw(): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.lastDraw < 100) return
    this.lastDraw = now
    const width = Math.max(10, Math.min(50, (process.stderr.columns ?? 80) - 45))
    const ratio = this.total ? Math.min(1, this.done / this.total) : 1
    const filled = Math.round(ratio * width)
    const percent = (ratio * 100).toFixed(2).padStart(6)
    process.stderr.write(`\rTRANSFERRING ||${'#'.repeat(filled)}${'.'.repeat(width - filled)}||(${sizeToText(this.done, true, false)}/${sizeToText(this.total, true, false)}: ${percent} %)`)
  }
}
