import type {ServerResponse} from 'node:http'
import type {ServerContext} from '../server-context.js'
import type {Session} from '../stores/session-store.js'

/**
 * Long polls of the `sc` channel (event-channel.ts, sdk-event-channel.ts) waiting for their account to change. A
 * wait ends as soon as the account has an event after the poll's `sn`, its session dies, its time is up, its
 * client goes away, or the server shuts down; the channel then decides what to answer.
 */
export class EventWaiters {
  /** Blocked waits: their release function and the session they wait for (null: a folder link's, idle()). */
  private readonly waiting = new Map<() => void, Session | null>()

  constructor(private readonly server: ServerContext) {
    server.sessions.onKill((killed) => {
      for (const [release, session] of [...this.waiting]) if (session?.sid === killed.sid) release()
    })
  }

  wait(session: Session, sn: number, timeoutMs: number, res: ServerResponse): Promise<void> {
    const {events} = this.server
    if (!session.alive || events.hasAfter(session.user, sn)) return Promise.resolve()
    return this.block(session, timeoutMs, res, (release) => events.subscribe(session.user, release))
  }

  /** A wait that no event ends: only its time, its client going away or the shutdown (a folder link's poll). */
  idle(timeoutMs: number, res: ServerResponse): Promise<void> {
    return this.block(null, timeoutMs, res, () => () => undefined)
  }

  private block(session: Session | null, timeoutMs: number, res: ServerResponse, subscribe: (release: () => void) => () => void): Promise<void> {
    return new Promise((resolve) => {
      let done = false
      const release = () => {
        if (done) return
        done = true
        clearTimeout(timer)
        unsubscribe()
        this.waiting.delete(release)
        resolve()
      }
      const unsubscribe = subscribe(release)
      const timer = setTimeout(release, timeoutMs)
      this.waiting.set(release, session)
      res.on('close', release)
    })
  }

  /** Ends every wait (the server is shutting down). */
  releaseAll(): void {
    for (const release of [...this.waiting.keys()]) release()
  }
}
