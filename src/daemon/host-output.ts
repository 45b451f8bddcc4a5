import {Writable} from 'node:stream'
import type {FromHost} from './host-messages.js'

/** Bytes a host may send ahead of the client's reading; past it, writes wait (a slow pipe slows the command). */
const WINDOW_BYTES = 4 * 1024 * 1024
/** Output travels in pieces of at most this size (a frame per piece on the socket). */
const PIECE_BYTES = 1024 * 1024

/**
 * process.stdout or process.stderr of a command host: what the command writes goes to the server over IPC, then
 * to the client's terminal or pipe, byte for byte. It looks like the client's stream (isTTY, columns), so
 * progress bars and prompts behave as they would in-process. Flow control: the server acknowledges the bytes the
 * client's socket accepted, and a command that writes faster than its client reads waits.
 */
export class HostOutput extends Writable {
  isTTY = false
  columns?: number
  rows?: number
  private unacknowledged = 0
  private readonly waiting: Array<() => void> = []

  constructor(readonly fd: 1 | 2, private readonly send: (message: FromHost) => void) {
    super({decodeStrings: true})
  }

  /** The client's facts for this stream, for the command about to run. */
  setTerminal(isTTY: boolean, columns?: number, rows?: number): void {
    this.isTTY = isTTY
    this.columns = isTTY ? columns : undefined
    this.rows = isTTY ? rows : undefined
  }

  getWindowSize(): [number, number] {
    return [this.columns ?? 80, this.rows ?? 24]
  }

  hasColors(): boolean {
    return this.isTTY
  }

  getColorDepth(): number {
    return this.isTTY ? 8 : 1
  }

  acknowledge(bytes: number): void {
    this.unacknowledged -= bytes
    while (this.unacknowledged < WINDOW_BYTES && this.waiting.length) this.waiting.shift()!()
  }

  /** Resolves once everything written so far has been sent. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.write(Buffer.alloc(0), () => resolve()))
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this._writev([{chunk}], callback)
  }

  /**
   * What the command wrote since the last message, as one message: the callback comes a tick after the send, and the
   * writes made meanwhile (a listing's lines, one console.log each) wait in the stream and arrive here together.
   * One IPC message, one socket frame and one acknowledgement for them all, instead of three per line.
   */
  override _writev(chunks: Array<{chunk: Buffer}>, callback: (error?: Error | null) => void): void {
    const data = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map(({chunk}) => chunk))
    for (let at = 0; at < data.length; at += PIECE_BYTES) {
      const piece = data.subarray(at, at + PIECE_BYTES)
      this.unacknowledged += piece.length
      this.send({t: 'out', fd: this.fd, data: piece})
    }
    if (this.unacknowledged < WINDOW_BYTES) process.nextTick(callback)
    else this.waiting.push(() => callback())
  }
}
