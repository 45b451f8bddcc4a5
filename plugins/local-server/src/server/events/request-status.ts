import type {IncomingMessage, ServerResponse} from 'node:http'
import {CORS_HEADERS, sendText} from '../http/http-util.js'
import type {ServerContext} from '../server-context.js'

/** "No operation in progress": a user count of 0, u16 little-endian (MegaClient::procreqstat). */
const IDLE = Buffer.from([0, 0])

/**
 * `POST cs/rs?sid=`, the SDK's request-status stream (MegaClient::exec and procreqstat, src/megaclient.cpp): a
 * binary stream that reports when the account is busy with a long operation. This server never is, so the stream
 * says "idle" once and then stays open until the session ends or the client goes away. It must not end quickly
 * with 200, which the SDK would request again at once (a busy loop); a dead session gets an HTTP error, after
 * which the SDK backs off.
 */
export class RequestStatus {
  /** Open streams and the session each belongs to. */
  private readonly open = new Map<ServerResponse, string>()

  constructor(private readonly server: ServerContext) {
    server.sessions.onKill((killed) => {
      for (const [res, sid] of [...this.open]) if (sid === killed.sid) res.end()
    })
  }

  handle(req: IncomingMessage, query: URLSearchParams, res: ServerResponse): void {
    req.resume()
    const session = this.server.sessions.lookup(query.get('sid') ?? '')
    if (!session) return sendText(res, 'session not valid', 403)
    res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'application/octet-stream'})
    res.write(IDLE)
    this.open.set(res, session.sid)
    res.on('close', () => this.open.delete(res))
  }
}
