import type {IncomingMessage, ServerResponse} from 'node:http'
import {sendFileRange} from '../http/blob-io.js'
import {type FaultPlan, NO_FAULTS} from '../http/faults.js'
import {CORS_HEADERS, sendText} from '../http/http-util.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import {flag, optString, type ApiCommand} from '../protocol/command-fields.js'
import type {BlobStore} from '../stores/blob-store.js'
import type {Db} from '../stores/database.js'
import {isExpired} from '../stores/link-store.js'
import {NodeType, type NodeRow} from '../stores/node-store.js'
import type {CommandContext, CommandTable} from './command-context.js'

/**
 * Download URLs (mega-api.md §5.3): `<url>/<start>-<end>` with `end` inclusive, by GET (megajs, go-mega) or
 * POST (megatools), answered with HTTP 200 and exactly those bytes of ciphertext. `<url>/<start>-` and a bare
 * `<url>` give the rest / the whole file. The URL token is the blob id; query strings are ignored.
 */
export class DownloadServer {
  private readonly sizeStmt

  constructor(db: Db, private readonly blobs: BlobStore, private readonly faults: FaultPlan = NO_FAULTS) {
    this.sizeStmt = db.prepare<[string], {size: number}>('SELECT size FROM blobs WHERE id = ?')
  }

  async handle(req: IncomingMessage, res: ServerResponse, blob: string, range: string | undefined): Promise<void> {
    req.resume()
    const size = this.sizeStmt.get(blob)?.size
    if (size === undefined) return sendText(res, 'not found', 404)
    const match = range === undefined || range === '' ? ['', '0', ''] : /^(\d+)-(\d*)$/.exec(range)
    if (!match) return sendText(res, 'bad range', 400)
    const start = Number(match[1])
    // An end past the file is clamped, like an HTTP range; a start past it is an error.
    const end = Math.min(match[2] === '' ? size - 1 : Number(match[2]), size - 1)
    if (size === 0 && start === 0) return sendText(res, Buffer.alloc(0), 200, 'application/octet-stream')
    if (start >= size || end < start) return sendText(res, 'range not satisfiable', 416)
    if (this.faults.downloadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.downloadDelayMs))
    if (res.destroyed) return
    res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': end - start + 1})
    if (req.method === 'HEAD') return void res.end()
    try {
      await sendFileRange(this.blobs.pathFor(blob), start, end, res)
    } catch {
      // The client closed the connection, or the blob vanished mid-read: nothing to answer any more.
      res.destroy()
    }
  }
}

export const downloadCommands: CommandTable = {
  g: {auth: 'none', run: getFile},
}

/**
 * `g` (mega-api.md §5.3): `n` a node of the session, `n` inside the folder link given by `&n=`, or `p` a public
 * file link (no session needed). Reply {s, at, [fa], [g]}: the URL only when `g:1` was asked for (megajs
 * reads a file link's size and name with a bare `{a:"g", p}`), always http since this server has no TLS.
 */
function getFile(cmd: ApiCommand, ctx: CommandContext): unknown {
  const node = resolveFile(cmd, ctx)
  if (node.type !== NodeType.FILE || !node.blob) fail(ApiCode.EARGS, 'not a file')
  const reply: Record<string, unknown> = {s: node.size ?? 0, at: node.attrs}
  if (node.fa) reply.fa = node.fa
  if (flag(cmd, 'g')) reply.g = `${ctx.baseUrl}dl/${node.blob}`
  return reply
}

function resolveFile(cmd: ApiCommand, ctx: CommandContext): NodeRow {
  const {nodes, links} = ctx.server
  const ph = optString(cmd, 'p')
  if (ph) {
    const link = links.byPh(ph)
    if (!link) fail(ApiCode.ENOENT, 'no such link')
    if (isExpired(link)) fail(ApiCode.EEXPIRED, 'link expired')
    const node = nodes.get(link.node)
    if (!node || node.type !== NodeType.FILE) fail(ApiCode.ENOENT, 'no such file link')
    return node
  }
  const handle = optString(cmd, 'n')
  if (!handle) fail(ApiCode.EARGS, 'missing n or p')
  if (ctx.folder) {
    const node = nodes.get(handle)
    if (!node || !nodes.isWithin(node, ctx.folder.root.handle) || nodes.isVersion(node)) fail(ApiCode.ENOENT, 'not in this folder link')
    return node
  }
  if (!ctx.session) fail(ApiCode.ESID, 'not logged in')
  return nodes.owned(handle, ctx.session.user)
}
