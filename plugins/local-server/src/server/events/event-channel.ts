import type {IncomingMessage, ServerResponse} from 'node:http'
import {CORS_HEADERS, sendJson} from '../http/http-util.js'
import {encodeSn, newUrlToken} from '../protocol/handles.js'
import type {ServerContext} from '../server-context.js'
import type {Session} from '../stores/session-store.js'
import type {EventWaiters} from './event-waiters.js'
import {readPoll} from './read-poll.js'

/** A wait URL nobody fetched is forgotten after this long. */
const WAIT_TICKET_TTL_MS = 10 * 60 * 1000

interface WaitTicket {
  session: Session
  sn: number
  created: number
}

/**
 * The server-to-client channel as megajs, go-mega and mega-shell's client use it (mega-api.md §1.5).
 * `POST|GET sc?sn=&sid=` answers at once:
 *   {"a":[packets],"sn":"<new>"}  when the account has events after sn, or
 *   {"w":"<wait URL>","sn":"<same sn>"} when it has none (never both: megajs checks `w` first and would drop
 *   the packets);
 *   -15 or -6 as readPoll says.
 * The wait URL (GET or POST, go-mega GETs, megajs POSTs) blocks until the account has an event after sn, the
 * session dies, or `scWaitTimeoutMs` passes, then answers an empty 200; the client then polls `sc` again with
 * the same sn. megajs re-polls immediately, so the block must be real. The SDK's dialect is in
 * sdk-event-channel.ts.
 */
export class EventChannel {
  private readonly tickets = new Map<string, WaitTicket>()

  constructor(private readonly server: ServerContext, private readonly waiters: EventWaiters) {}

  poll(query: URLSearchParams, baseUrl: string, res: ServerResponse): void {
    const state = readPoll(this.server, query, 'legacy')
    if ('error' in state) return sendJson(res, String(state.error))
    if (state.batch) return sendJson(res, `{"a":[${state.batch.packets}],"sn":"${state.batch.sn}"}`)
    this.sweep()
    const ticket = newUrlToken()
    this.tickets.set(ticket, {session: state.session, sn: state.sn, created: Date.now()})
    sendJson(res, JSON.stringify({w: `${baseUrl}wait/${ticket}`, sn: encodeSn(state.sn)}))
  }

  async wait(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    req.resume()
    const ticket = this.tickets.get(token)
    this.tickets.delete(token)
    // An unknown ticket (e.g. issued before a restart) is answered at once.
    if (ticket) await this.waiters.wait(ticket.session, ticket.sn, this.server.config.scWaitTimeoutMs, res)
    finish(res)
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
