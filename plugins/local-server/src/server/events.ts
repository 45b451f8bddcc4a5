import type {IncomingMessage, ServerResponse} from 'node:http'
import {ApiCode} from './api-error.js'
import type {ServerContext} from './context.js'
import {decodeSn, encodeSn, newUrlToken} from './handles.js'
import {CORS_HEADERS, sendJson} from './http-util.js'
import type {Session} from './sessions.js'

/** Packets per `sc` reply; a client further behind gets the rest on its next poll (with the new sn). */
const MAX_PACKETS_PER_REPLY = 1000
/** A wait URL nobody fetched is forgotten after this long. */
const WAIT_TICKET_TTL_MS = 10 * 60 * 1000

interface WaitTicket {
  session: Session
  sn: number
  created: number
}

/**
 * The server-to-client channel (mega-api.md §1.5). `POST|GET sc?sn=&sid=` answers at once:
 *   {"a":[packets],"sn":"<new>"}  when the account has events after sn, or
 *   {"w":"<wait URL>","sn":"<same sn>"} when it has none (never both: megajs checks `w` first and would drop
 *   the packets);
 *   -15 for a dead session, -6 for an sn it cannot continue from (unknown, from the future, or older than the
 *   kept log), so the client reloads with `f`.
 * The wait URL (GET or POST, go-mega GETs, megajs POSTs) blocks until the account has an event after sn, the
 * session dies, or `scWaitTimeoutMs` passes, then answers an empty 200; the client then polls `sc` again with
 * the same sn. megajs re-polls immediately, so the block must be real.
 */
export class EventChannel {
  private readonly tickets = new Map<string, WaitTicket>()
  /** Blocked wait requests: their release function and the session they wait for. */
  private readonly waiting = new Map<() => void, Session>()

  constructor(private readonly server: ServerContext) {
    server.sessions.onKill((killed) => {
      for (const [release, session] of [...this.waiting]) if (session.sid === killed.sid) release()
    })
  }

  poll(query: URLSearchParams, baseUrl: string, res: ServerResponse): void {
    const {sessions, events} = this.server
    const session = sessions.lookup(query.get('sid') ?? '')
    if (!session) return sendJson(res, String(ApiCode.ESID))
    const sn = decodeSn(query.get('sn'))
    if (sn === null || sn > events.currentSeq() || sn < events.floor(session.user)) return sendJson(res, String(ApiCode.ETOOMANY))
    const pending = events.after(session.user, sn, MAX_PACKETS_PER_REPLY)
    if (pending.length > 0) {
      const next = encodeSn(pending[pending.length - 1].id)
      return sendJson(res, `{"a":[${pending.map((e) => e.packet).join(',')}],"sn":"${next}"}`)
    }
    this.sweep()
    const ticket = newUrlToken()
    this.tickets.set(ticket, {session, sn, created: Date.now()})
    sendJson(res, JSON.stringify({w: `${baseUrl}wait/${ticket}`, sn: encodeSn(sn)}))
  }

  wait(req: IncomingMessage, res: ServerResponse, token: string): void {
    req.resume()
    const ticket = this.tickets.get(token)
    this.tickets.delete(token)
    const {events} = this.server
    // Unknown ticket (e.g. issued before a restart), dead session or news already there: answer now.
    if (!ticket || !ticket.session.alive || events.hasAfter(ticket.session.user, ticket.sn)) return finish(res)

    let done = false
    const release = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      unsubscribe()
      this.waiting.delete(release)
      finish(res)
    }
    const unsubscribe = events.subscribe(ticket.session.user, release)
    const timer = setTimeout(release, this.server.config.scWaitTimeoutMs)
    this.waiting.set(release, ticket.session)
    res.on('close', release)
  }

  /** Answers every blocked wait request (used when the server shuts down). */
  releaseAll(): void {
    for (const release of [...this.waiting.keys()]) release()
  }

  private sweep(): void {
    const cutoff = Date.now() - WAIT_TICKET_TTL_MS
    for (const [token, ticket] of this.tickets) if (ticket.created < cutoff) this.tickets.delete(token)
  }
}

function finish(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'text/plain', 'Content-Length': 0})
  res.end()
}
