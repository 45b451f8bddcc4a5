import {setMaxListeners} from 'node:events'
import {rm} from 'node:fs/promises'
import {
  CommandError, type DaemonService, ExitCode, isTransientTransferFailure, type JsonValue, type MegaContext, MegaError, PENDING_STATES, type ServiceContext, toFailure,
  TransferQuotaError,
  type TransferRecord, TransferQueueStore,
} from '@mega-shell/core'
import {type ActReply, type ActRequest, type EnqueueReply, type EnqueueRequest, type ListReply, QUEUE_SERVICE, type QueueAction} from './queue-protocol.js'
import {runQueuedJob} from './queued-job.js'

/** Queued transfers that run at once; the others wait their turn (MEGAcmd's SDK also runs a few at a time). */
const PARALLEL_TRANSFERS = 4
/** Finished transfers kept for `transfers --show-completed` from one server start to the next (MEGAcmd keeps one run's). */
const KEPT_FINISHED = 1000
/** How often a running transfer's progress is written to the queue (what `transfers` shows). */
const PROGRESS_WRITE_MS = 500

/** Why a running transfer was stopped: the user's action, or the server stopping (it resumes at the next start). */
type StopReason = 'pause' | 'cancel' | 'shutdown' | 'logout'

interface Running {
  controller: AbortController
  finished: Promise<void>
}

/**
 * The background server's transfer queue (`put -q`, `get -q`, `transfers`): transfers kept in SQLite
 * (TransferQueueStore), run a few at a time with the server's session, paused, resumed and cancelled by tag. What
 * was running when the server stopped, or was killed, runs again at the next start and resumes (queued-job.ts); a
 * paused transfer stays paused.
 */
export class TransferQueueService implements DaemonService {
  readonly name = QUEUE_SERVICE
  readonly handlers = {
    enqueue: (params: JsonValue | undefined) => this.enqueue(params as unknown as EnqueueRequest) as unknown as JsonValue,
    list: () => ({transfers: this.requireStore().all()} satisfies ListReply) as unknown as JsonValue,
    act: (params: JsonValue | undefined) => this.act(params as unknown as ActRequest) as unknown as Promise<JsonValue>,
  }

  private store?: TransferQueueStore
  private context?: ServiceContext
  private readonly running = new Map<number, Running>()
  /** Failed attempts in a row of transfers waiting to retry (RETRYING), and their timers. */
  private readonly attempts = new Map<number, number>()
  private readonly retryTimers = new Map<number, NodeJS.Timeout>()
  private stopping = false

  start(context: ServiceContext): void {
    this.context = context
    this.store = new TransferQueueStore(context.home)
    this.store.pruneFinished(KEPT_FINISHED)
    const resumed = this.store.requeueInterrupted()
    if (resumed > 0) context.log.info(`${resumed} interrupted transfer(s) queued again`)
    context.onSessionChange(({loggedIn}) => {
      // MEGAcmd's logout ends the session's transfers; a later login (maybe of another account) never runs them.
      if (!loggedIn) void this.cancelAll('logout')
      else this.pump()
    })
    this.pump()
  }

  async stop(): Promise<void> {
    this.stopping = true
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    for (const {controller} of this.running.values()) controller.abort('shutdown' satisfies StopReason)
    await Promise.all([...this.running.values()].map(({finished}) => finished))
    this.store?.close()
    this.store = undefined
  }

  status() {
    const pending = this.store?.all().filter((t) => PENDING_STATES.includes(t.state)).length ?? 0
    return {state: this.running.size > 0 ? 'running' : 'idle', message: `${this.running.size} running, ${pending} pending`}
  }

  private requireStore(): TransferQueueStore {
    if (!this.store) throw new CommandError('The transfer queue is not running', ExitCode.INVALIDSTATE)
    return this.store
  }

  private enqueue({transfers}: EnqueueRequest): EnqueueReply {
    const store = this.requireStore()
    const account = this.context?.mega()?.session?.userHandle
    if (!account) throw new CommandError('Not logged in', ExitCode.NOTLOGGEDIN)
    if (transfers.some((t) => t.account !== account)) throw new CommandError('The transfer belongs to another account than the server\'s session', ExitCode.INVALIDSTATE)
    const tags = transfers.map((transfer) => store.add(transfer).tag)
    this.pump()
    return {tags}
  }

  /**
   * MEGAcmd's transfers -c/-p/-r (megacmdexecuter.cpp "transfers"): by tag, a transfer that is not pending (unknown,
   * or finished: the SDK forgets those) is not found; pausing a paused one or resuming a running one is no error.
   * With `all`, every pending transfer of the direction(s); none at all is no error either.
   */
  private async act({action, tags, all, direction}: ActRequest): Promise<ActReply> {
    const store = this.requireStore()
    const pending = (record: TransferRecord | undefined): record is TransferRecord => record !== undefined && PENDING_STATES.includes(record.state) && (!direction || record.direction === direction)
    const results: ActReply['results'] = []
    const targets = all ? store.all().filter(pending) : (tags ?? []).map((tag) => store.get(tag))
    for (const [i, record] of targets.entries()) {
      if (!pending(record)) {
        results.push({tag: tags![i], found: false})
        continue
      }
      await this.apply(action, record)
      results.push({tag: record.tag, found: true})
    }
    this.pump()
    return {results}
  }

  private async apply(action: QueueAction, record: TransferRecord): Promise<void> {
    const store = this.requireStore()
    if (action === 'resume') {
      // A transfer waiting to retry is tried again now.
      if (record.state === 'PAUSED' || record.state === 'RETRYING') store.setState(record.tag, 'QUEUED')
      return
    }
    if (action === 'pause' && record.state === 'PAUSED') return
    const running = this.running.get(record.tag)
    if (running) {
      running.controller.abort(action satisfies StopReason)
      await running.finished
    }
    store.setState(record.tag, action === 'pause' ? 'PAUSED' : 'CANCELLED')
    if (action === 'cancel') await this.forgetFiles(record.tag)
  }

  /**
   * A transfer that failed for a reason time cures (the network or a proxy down, the transfer quota used up) waits
   * and runs again, keeping its resume point, as the SDK retries its transfers (MEGAcmd's RETRYING state).
   */
  private retryLater(tag: number, delayMs: number, failure: {error: string; code: number}): void {
    this.attempts.set(tag, (this.attempts.get(tag) ?? 0) + 1)
    this.requireStore().setState(tag, 'RETRYING', failure)
    this.context?.log.warn(`transfer ${tag}: ${failure.error}; trying again in ${Math.round(delayMs / 1000)} s`)
    clearTimeout(this.retryTimers.get(tag))
    const timer = setTimeout(() => {
      this.retryTimers.delete(tag)
      if (this.store?.get(tag)?.state !== 'RETRYING') return
      this.store.setState(tag, 'QUEUED')
      this.pump()
    }, delayMs)
    timer.unref()
    this.retryTimers.set(tag, timer)
  }

  /** A finished transfer's resume points go, and the partial files of its downloads with them. */
  private async forgetFiles(tag: number): Promise<void> {
    const partials = this.store?.forgetFiles(tag) ?? []
    await Promise.all(partials.map((partial) => rm(partial, {force: true})))
  }

  private async cancelAll(reason: StopReason): Promise<void> {
    const store = this.store
    if (!store) return
    for (const {controller} of this.running.values()) controller.abort(reason)
    await Promise.all([...this.running.values()].map(({finished}) => finished))
    for (const record of store.all()) {
      if (!PENDING_STATES.includes(record.state)) continue
      store.setState(record.tag, 'CANCELLED')
      await this.forgetFiles(record.tag)
    }
  }

  /** Starts queued transfers while there is room and a session to run them with. */
  private pump(): void {
    const store = this.store
    const ctx = this.context?.mega()
    if (!store || !ctx?.session || this.stopping) return
    while (this.running.size < PARALLEL_TRANSFERS) {
      const next = store.nextQueued(new Set(this.running.keys()))
      if (!next) return
      if (next.account !== ctx.session.userHandle) {
        store.setState(next.tag, 'CANCELLED')
        continue
      }
      this.run(ctx, next)
    }
  }

  private run(ctx: MegaContext, record: TransferRecord): void {
    const store = this.requireStore()
    const log = this.context!.log
    const controller = new AbortController()
    // A folder's files (32 small ones at once) and their pieces all listen to it.
    setMaxListeners(0, controller.signal)
    store.setState(record.tag, 'ACTIVE')
    // Counted again by this run: a resumed file reports the chunks it keeps at once, a finished file of a folder nothing.
    store.setProgress(record.tag, 0, record.bytesTotal)
    let bytesDone = 0
    let written = 0
    const onProgress = (done: number): void => {
      bytesDone = done
      const now = Date.now()
      if (now - written < PROGRESS_WRITE_MS) return
      written = now
      store.setProgress(record.tag, done, record.bytesTotal)
    }
    log.info(`transfer ${record.tag}: ${record.direction} started`)
    const finished = runQueuedJob(ctx, record, store.resumeBook(record.tag), controller.signal, onProgress).then(
      () => {
        this.attempts.delete(record.tag)
        store.setProgress(record.tag, record.bytesTotal, record.bytesTotal)
        store.setState(record.tag, 'COMPLETED')
        void this.forgetFiles(record.tag)
        log.info(`transfer ${record.tag}: completed`)
      },
      (error: unknown) => {
        const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined
        // A pause or cancel sets its own state; a shutdown leaves it ACTIVE, to run again at the next start.
        if (reason) return void (this.store && store.setProgress(record.tag, bytesDone, record.bytesTotal))
        const {exitCode, message} = toFailure(error)
        const delay = retryDelay(error, this.attempts.get(record.tag) ?? 0)
        if (delay !== undefined) return this.retryLater(record.tag, delay, {error: message, code: exitCode})
        this.attempts.delete(record.tag)
        store.setState(record.tag, 'FAILED', {error: message, code: exitCode})
        void this.forgetFiles(record.tag)
        log.warn(`transfer ${record.tag}: failed (${exitCode}): ${message}`)
      },
    ).finally(() => {
      this.running.delete(record.tag)
      this.pump()
    })
    this.running.set(record.tag, {controller, finished})
  }
}

/** How long to wait before trying a failed transfer again, or undefined when another try cannot help. */
function retryDelay(error: unknown, attempts: number): number | undefined {
  // The quota says when it is back (X-MEGA-Time-Left); without a figure, a minute.
  if (error instanceof TransferQuotaError) return Math.max(1, error.secondsLeft ?? 60) * 1000
  // -18: the API could not be reached (transport.ts); the engine's own network failures once its retries ran out.
  const network = (error instanceof MegaError && error.code === -18) || isTransientTransferFailure(error)
  return network ? Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempts) : undefined
}

/** Waits between attempts of a transfer the network failed: 2 s, doubling, at most a minute. */
const RETRY_FIRST_MS = 2000
const RETRY_MAX_MS = 60_000
