import type {IncomingMessage, ServerResponse} from 'node:http'
import {sendJson} from '../http/http-util.js'
import {ApiCode} from '../protocol/api-error.js'
import {decodeSn, encodeSn} from '../protocol/handles.js'
import type {ServerContext} from '../server-context.js'
import type {EventWaiters} from './event-waiters.js'
import {readPoll, type PollState} from './read-poll.js'

/**
 * How long a long poll stays open with nothing to say. The SDK drops an `sc` request that received no byte for
 * 40 s (HttpIO::SCREQUESTTIMEOUT, src/http.cpp) and polls again, so the server answers well before that.
 */
const LONG_POLL_MAX_MS = 30_000

/** Path of the long-poll URL handed out as `w`, below the API base. */
export const LONG_POLL_PATH = 'wsc/w'

/**
 * The server-to-client channel in the official SDK's dialect (sdk-dialect.md §2; MegaClient::exec and procsc,
 * src/megaclient.cpp). All requests are POSTs with an empty body.
 *   `wsc?sn=&sid=` answers at once: `{"a":[packets],"sn":"<new>"}` (with `"ir":1` while more are waiting), or
 *     `{"w":"<long-poll URL>","sn":"<same>"}` when there is nothing new. It must not block: the SDK's fetch of
 *     the node tree completes only when its first `sc` reply is processed (MegaClient::sc_procEoo).
 *   `<w>?sn=&sid=` is where the SDK polls from then on: the URL is kept for the whole session and the SDK
 *     appends `?sn=` to it, so it is absolute and has no query (procsc stores it as scnotifyurl). It answers like
 *     `wsc`, but waits for news first; with none after LONG_POLL_MAX_MS it answers the keep-alive `0`, exactly
 *     one byte with Content-Length 1 (MegaClient::handleScNonStreaming). Any other body, an empty one included,
 *     stops the SDK's channel for good ("Unexpected sc response").
 *   Both answer -15 for a dead session and -6 for an sn the server cannot continue from (readPoll): -6 makes
 *     the SDK reload with `f`, while -9 or -2 would stop its channel.
 *   `sc?c=50&sid=` (no sn) asks for user alerts once after each reload: `{}` means none
 *     (UserAlerts::procsc_useralert, src/useralerts.cpp).
 *   `wsc?sn=&n=` and `<w>?sn=&n=` are a folder link's polls (folderLinkReply).
 */
export class SdkEventChannel {
  constructor(private readonly server: ServerContext, private readonly waiters: EventWaiters) {}

  poll(query: URLSearchParams, baseUrl: string, res: ServerResponse): void {
    const idle = (sn: number) => JSON.stringify({w: `${baseUrl}${LONG_POLL_PATH}`, sn: encodeSn(sn)})
    if (query.has('n')) return sendJson(res, folderLinkReply(this.server, query, idle))
    const state = readPoll(this.server, query, 'sdk')
    sendJson(res, replyText(state, idle))
  }

  async longPoll(req: IncomingMessage, query: URLSearchParams, res: ServerResponse): Promise<void> {
    req.resume()
    if (query.has('n')) {
      if (folderLinkReply(this.server, query, () => '0') === '0') await this.waiters.idle(Math.min(this.server.config.scWaitTimeoutMs, LONG_POLL_MAX_MS), res)
      if (res.destroyed) return
      return sendJson(res, folderLinkReply(this.server, query, () => '0'))
    }
    let state = readPoll(this.server, query, 'sdk')
    if ('session' in state && !state.batch) {
      await this.waiters.wait(state.session, state.sn, Math.min(this.server.config.scWaitTimeoutMs, LONG_POLL_MAX_MS), res)
      if (res.destroyed) return
      state = readPoll(this.server, query, 'sdk')
    }
    sendJson(res, replyText(state, () => '0'))
  }

  userAlerts(query: URLSearchParams, res: ServerResponse): void {
    sendJson(res, this.server.sessions.lookup(query.get('sid') ?? '') ? '{}' : String(ApiCode.ESID))
  }
}

/**
 * The channel of a folder-link session (`&n=<ph>`, no `sid`: the SDK leaves it out so that no packet of an account
 * reaches the folder's tree, MegaClient::exec, src/megaclient.cpp). It only keeps the session alive: changes to
 * the folder reach its readers at their next fetch. -9 once the link is gone or expired (the SDK ends a folder
 * session on -9, sdk-dialect.md §2). An sn the server never handed out is -6, as on an account's channel.
 */
function folderLinkReply(server: ServerContext, query: URLSearchParams, whenIdle: (sn: number) => string): string {
  const folder = server.links.folderLink(query.get('n') ?? '')
  if (!folder || folder === 'expired') return String(ApiCode.ENOENT)
  const sn = decodeSn(query.get('sn'))
  if (sn === null || sn > server.events.currentSeq()) return String(ApiCode.ETOOMANY)
  return whenIdle(sn)
}

/**
 * The answer to a poll: its error, its batch of packets (`sn` last: procsc commits it as it reads it), or
 * `whenIdle(sn)` when the account has nothing new.
 */
function replyText(state: PollState, whenIdle: (sn: number) => string): string {
  if ('error' in state) return String(state.error)
  if (!state.batch) return whenIdle(state.sn)
  return `{"a":[${state.batch.packets}],${state.batch.more ? '"ir":1,' : ''}"sn":"${state.batch.sn}"}`
}
