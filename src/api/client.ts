import {MegaError} from '../errors.js'
import type {ReplySplit} from './reply-splitter.js'
import {Transport, type TransportOptions} from './transport.js'

/**
 * The MEGA API client every command and plugin uses: commands issued in the same tick travel in one `cs`
 * batch (the SDK batches the same way, mega-api.md §1.1); each command's promise settles with its own
 * reply element, and a negative number becomes a MegaError with that code.
 */
export interface ApiCommand {
  a: string
  [field: string]: unknown
}

interface Pending {
  command: ApiCommand
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

/** Commands the SDK never batches with others (SDK-cmd `batchSeparately`). */
const ALONE = new Set(['f', 'us', 'us0', 'sml'])

export class ApiClient {
  readonly transport: Transport
  private queue: Pending[] = []
  private flushScheduled = false

  constructor(options: TransportOptions) {
    this.transport = new Transport(options)
  }

  get apiUrl(): string {
    return this.transport.apiUrl
  }

  get sid(): string | undefined {
    return this.transport.options.sid
  }

  set sid(value: string | undefined) {
    this.transport.options.sid = value
  }

  request<T = unknown>(command: ApiCommand): Promise<T> {
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({command, resolve, reject})
      if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
    }) as Promise<T>
  }

  /**
   * One command alone, the chosen arrays of its reply handed to `split.onItems` while the reply arrives (a large
   * account's `f`, reply-splitter.ts); the reply comes back with those arrays empty.
   */
  async requestSplit<T = unknown>(command: ApiCommand, split: ReplySplit): Promise<T> {
    return settle(await this.transport.send([command], split).then((replies) => replies[0])) as T
  }

  private flush(): void {
    this.flushScheduled = false
    const queue = this.queue
    this.queue = []
    let batch: Pending[] = []
    for (const item of queue) {
      if (ALONE.has(item.command.a)) {
        void this.sendBatch([item])
      } else {
        batch.push(item)
      }
    }
    if (batch.length) void this.sendBatch(batch)
    batch = []
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    try {
      const replies = await this.transport.send(batch.map((p) => p.command))
      batch.forEach((pending, i) => {
        try {
          pending.resolve(settle(replies[i]))
        } catch (error) {
          pending.reject(error as Error)
        }
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error as Error)
    }
  }
}

/** A command's reply element, or the MegaError its negative number or `{err}` stands for. */
function settle(reply: unknown): unknown {
  if (typeof reply === 'number' && reply < 0) throw new MegaError(reply)
  if (reply && typeof reply === 'object' && !Array.isArray(reply) && typeof (reply as {err?: unknown}).err === 'number') {
    throw new MegaError((reply as {err: number}).err)
  }
  return reply
}
