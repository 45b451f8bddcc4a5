import {ApiCode} from '../protocol/api-error.js'
import type {Dialect} from '../protocol/dialect.js'
import {decodeSn, encodeSn} from '../protocol/handles.js'
import type {ServerContext} from '../server-context.js'
import type {Session} from '../stores/session-store.js'

/** Packets per `sc` reply; a client further behind gets the rest on its next poll (with the new sn). */
const MAX_PACKETS_PER_REPLY = 1000

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
