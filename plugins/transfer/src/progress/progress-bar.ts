import {sizeToText, type TransferProgress} from '@mega-shell/core'

/**
 * MEGAcmd's transfer bar on stderr, only on a terminal and never with --json:
 * `TRANSFERRING ||####……||(12/40 MB:  30.00 %)` (megacmd-reference.md §4 "Progress"), then what MEGAcmd's lacks:
 * the rate since the start and the time left at that rate, ` 35.20 MB/s ETA 0:03`. Several files in flight report
 * into one bar (a folder: one aggregate line): each reports its own running count.
 */
export class ProgressBar {
  private readonly perFile = new Map<string, number>()
  private done = 0
  private lastDraw = 0
  private started = 0
  private readonly enabled: boolean

  constructor(private readonly total: number, enabled: boolean) {
    this.enabled = enabled && Boolean(process.stderr.isTTY)
  }

  /** One file's progress; files are keyed so parallel ones add up. */
  update(key: string, {bytesDone}: TransferProgress): void {
    this.started ||= performance.now()
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
    process.stderr.write(`\rTRANSFERRING ||${'#'.repeat(filled)}${'.'.repeat(width - filled)}||(${sizeToText(this.done, true, false)}/${sizeToText(this.total, true, false)}: ${percent} %)${this.speed()}\x1b[K`)
  }

  /** ` 35.20 MB/s ETA 0:03` once a rate can be told (after a quarter second). */
  private speed(): string {
    const seconds = (performance.now() - this.started) / 1000
    if (seconds < 0.25 || this.done === 0) return ''
    const rate = this.done / seconds
    const left = Math.max(0, Math.ceil((this.total - this.done) / rate))
    const eta = left >= 3600 ? `${Math.floor(left / 3600)}:${pad(Math.floor(left / 60) % 60)}:${pad(left % 60)}` : `${Math.floor(left / 60)}:${pad(left % 60)}`
    return ` ${sizeToText(rate, true, false)}/s ETA ${eta}`
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
