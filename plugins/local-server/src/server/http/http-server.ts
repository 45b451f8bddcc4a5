import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {EventChannel} from '../events/event-channel.js'
import type {RequestStatus} from '../events/request-status.js'
import {LONG_POLL_PATH, type SdkEventChannel} from '../events/sdk-event-channel.js'
import type {CommandDispatcher} from '../handlers/command-dispatcher.js'
import type {ServerContext} from '../server-context.js'
import type {DownloadServer} from './download-server.js'
import type {FaultInjector} from './faults.js'
import {BodyTooLargeError, clientIp, CORS_HEADERS, readBody, sendJson, sendStreamedJson, sendText} from './http-util.js'

/** Largest `cs` body accepted (a `p` importing a big folder carries every node). */
const MAX_CS_BODY = 64 * 1024 * 1024

export interface HttpParts {
  server: ServerContext
  dispatcher: CommandDispatcher
  channel: EventChannel
  sdkChannel: SdkEventChannel
  requestStatus: RequestStatus
  downloads: DownloadServer
  faults: FaultInjector
  /** `http://host:port/` for URLs in replies, from the listening address or the request's Host header. */
  baseUrl(req: IncomingMessage): string
}

/**
 * URL layout (all relative to the API base the clients are given, e.g. http://127.0.0.1:4000/):
 *   POST cs?id=&sid=&n=[&v=3]   command batches (mega-api.md §1.1; command-dispatcher.ts; v=3: the SDK
 *                               dialect, dialect.ts)
 *   POST cs/rs?sid=             the SDK's request-status stream (request-status.ts)
 *   GET|POST sc?sn=&sid=        action packets or a wait URL (§1.5; event-channel.ts)
 *   GET|POST wait/<ticket>      the long poll behind a `w` reply
 *   POST wsc?sn=&sid=           the SDK's sc poll; wsc/w?sn=&sid= its long poll; sc?c=50&sid= its user
 *                               alerts (sdk-event-channel.ts)
 *   POST ul/<upload>/<offset>   upload chunks (§5.1; upload-manager.ts)
 *   GET|POST dl/<blob>/<a>-<b>  download ranges, inclusive (§5.3; download-server.ts)
 *   POST fa/put/<ticket>[/…]    thumbnail/preview upload; POST fa/get/<ticket> fetch (§4.8;
 *                               file-attribute-server.ts)
 * Query strings on transfer URLs are ignored (megatools adds `?c=`, the SDK `?d=`).
 */
export function createHttpServer(parts: HttpParts): Server {
  const server = createServer((req, res) => {
    route(parts, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendText(res, 'request body too large', 413)
      // The query can carry a session id: never write it to the log.
      const path = (req.url ?? '').split('?')[0]
      process.stderr.write(`local-server: ${req.method} ${path}: ${(error as Error)?.stack ?? String(error)}\n`)
      if (!res.headersSent) sendText(res, 'internal error', 500)
      else res.destroy()
    })
  })
  // Keep connections open between chunks (clients reuse them); no overall request deadline, since a large
  // chunk over a slow link or a long poll may legitimately take minutes.
  server.keepAliveTimeout = 65_000
  server.requestTimeout = 0
  server.on('connection', (socket) => socket.setNoDelay(true))
  return server
}

async function route(parts: HttpParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS_HEADERS)
    return void res.end()
  }
  const url = new URL(req.url ?? '/', 'http://local')
  const segments = url.pathname.split('/').filter(Boolean)
  const [first, second, third] = segments
  const isPost = req.method === 'POST'
  const isRead = req.method === 'GET' || req.method === 'POST' || req.method === 'HEAD'

  const query = url.searchParams
  if (first === 'cs' && segments.length === 1 && isPost) return handleCs(parts, req, res, query)
  if (first === 'cs' && second === 'rs' && segments.length === 2 && isPost) return parts.requestStatus.handle(req, query, res)
  if (first === 'sc' && segments.length === 1 && isRead) {
    req.resume()
    if (query.has('c') && !query.has('sn')) return parts.sdkChannel.userAlerts(query, res)
    return parts.channel.poll(query, parts.baseUrl(req), res)
  }
  if (first === 'wait' && second && isRead) return parts.channel.wait(req, res, second)
  if (first === 'wsc' && segments.length === 1 && isRead) {
    req.resume()
    return parts.sdkChannel.poll(query, parts.baseUrl(req), res)
  }
  if (url.pathname === `/${LONG_POLL_PATH}` && isRead) return parts.sdkChannel.longPoll(req, query, res)
  if (first === 'ul' && second && isPost) {
    const offset = third === undefined ? 0 : /^\d+$/.test(third) ? Number(third) : -1
    await parts.faults.pause(parts.faults.plan.uploadDelayMs)
    return parts.server.uploads.handleChunk(req, res, second, offset)
  }
  if (first === 'dl' && second && isRead) return parts.downloads.handle(req, res, second, third)
  if (first === 'fa' && third && isPost) {
    if (second === 'put') {
      await parts.faults.pause(parts.faults.plan.attributeDelayMs)
      return parts.server.fileAttributes.handlePut(req, res, third)
    }
    if (second === 'get') return parts.server.fileAttributes.handleGet(req, res, third)
  }
  req.resume()
  if (segments.length === 0 && req.method === 'GET') return sendText(res, 'Local MEGA-compatible API server\n')
  sendText(res, 'not found', 404)
}

async function handleCs(parts: HttpParts, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const fault = parts.faults.next()
  if (fault === 'drop') {
    req.socket.destroy()
    return
  }
  const body = await readBody(req, MAX_CS_BODY)
  if (parts.faults.plan.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, parts.faults.plan.slowMs))
  // A bare -3: megatools retries only this form, megajs and go-mega accept it too (mega-api.md §1.3).
  if (fault === 'eagain') return sendJson(res, '-3')
  // The SDK's "is the server still working on my request?" after 120 s without a byte of its reply (`wlt=1`,
  // MegaClient::exec, src/megaclient.cpp): "1", idle, makes it drop that request and send it again. This server
  // handles a batch in one go, so a reply that has not started is lost and never still being worked on.
  if (query.has('wlt')) return sendJson(res, '1')
  const reply = parts.dispatcher.run({
    body: body.toString('utf8'),
    query,
    baseUrl: parts.baseUrl(req),
    client: {ip: clientIp(req), userAgent: String(req.headers['user-agent'] ?? '')},
  })
  if (typeof reply === 'string') sendJson(res, reply)
  else await sendStreamedJson(res, reply)
}
