import type {IncomingMessage, ServerResponse} from 'node:http'
import type {ServerContext} from '../handlers/command-context.js'
import {CORS_HEADERS, sendJson} from '../http/http-util.js'
import {ApiCode} from '../protocol/api-error.js'
import type {Dialect} from '../protocol/dialect.js'
import {decodeSn, encodeSn, newUrlToken} from '../protocol/handles.js'
import type {Session} from '../stores/session-store.js'
import type {EventWaiters} from './event-waiters.js'

/** Packets per `sc` reply; a client further behind gets the rest on its next poll (with the new sn). */
const MAX_PACKETS_PER_REPLY = 1000
/** A wait URL nobody fetched is forgotten after this long. */
const WAIT_TICKET_TTL_MS = 10 * 60 * 1000

interface WaitTicket {
  session: Session
  sn: number
  created: number
}

/** Where a poll of the `sc` channel stands: an error to answer, or the session and what it has not seen yet. */
export type PollState =
  | {error: number}
  | {session: Session; sn: number; batch: PacketBatch | null}

/** Action packets after a poll's sn, as the `a` array's JSON text, with the sn to continue from. */
export interface PacketBatch {
  packets: string
  sn: string
  /** More packets are waiting beyond this batch. */
  more: boolean
}

/**
 * Reads a poll's `sid` and `sn`: -15 for a dead session, -6 for an sn the server cannot continue from (unknown,
 * from the future, or older than the kept log), so the client reloads with `f`; otherwise the packets of the
 * account after sn, if any, as readers of this dialect get them (event-log.ts). Shared by both dialects of the
 * channel (event-channel.ts, sdk-event-channel.ts). A batch whose packets this dialect all skips is still a
 * batch: its `sn` moves the reader past them.
 */
export function readPoll(server: ServerContext, query: URLSearchParams, dialect: Dialect): PollState {
  const {sessions, events} = server
  const session = sessions.lookup(query.get('sid') ?? '')
  if (!session) return {error: ApiCode.ESID}
  const sn = decodeSn(query.get('sn'))
  if (sn === null || !events.canContinueFrom(session.user, sn)) return {error: ApiCode.ETOOMANY}
  const pending = events.after(session.user, sn, MAX_PACKETS_PER_REPLY + 1)
  if (pending.length === 0) return {session, sn, batch: null}
  const sent = pending.slice(0, MAX_PACKETS_PER_REPLY)
  const packets = sent.map((e) => (dialect === 'sdk' ? e.sdk_packet ?? e.packet : e.packet)).filter((packet) => packet !== '')
  return {
    session, sn,
    batch: {packets: packets.join(','), sn: encodeSn(sent[sent.length - 1].id), more: pending.length > sent.length},
  }
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
