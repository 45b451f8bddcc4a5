import type {IncomingMessage, ServerResponse} from 'node:http'
import {readBody, sendText} from '../http/http-util.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import {optNumber, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {newFileAttributeHandle, newUrlToken, nowSeconds} from '../protocol/handles.js'
import type {Db} from '../stores/database.js'
import {NodeType} from '../stores/node-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/**
 * The numeric "cluster" prefix of stored file attributes. The SDK locates `:<type>*` and requires decimal
 * digits before the colon (mega-api.md §4.8; SDK getfa); the value itself means nothing to clients.
 */
const CLUSTER = '100'
/** Thumbnails are ~10 KB and previews ~100 KB; anything far larger is not a file attribute. */
const MAX_ATTRIBUTE_BYTES = 16 * 1024 * 1024
const TICKET_TTL_MS = 60 * 60 * 1000

interface Ticket {
  user: string
  kind: 'put' | 'get'
  created: number
}

/**
 * Thumbnails and previews (mega-api.md §4.8): `ufa` hands out a URL; the client POSTs the attribute, already
 * AES-CBC encrypted with the file key, and gets back 8 raw bytes, the attribute handle, which it attaches with
 * `p` (`fa:"0*<h>"`) or `pfa`. `ufa` with `fah` gives a URL to fetch attributes: POST the 8-byte handles,
 * receive handle ‖ uint32 LE length ‖ data for each. Data are kept in SQLite (small, and atomic with the rest).
 */
export class FileAttributeStore {
  private readonly tickets = new Map<string, Ticket>()
  private readonly insertStmt
  private readonly getStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, Buffer, number]>(
      'INSERT INTO file_attributes (handle, user, data, created) VALUES (?, ?, ?, ?)')
    this.getStmt = db.prepare<[string], {data: Buffer}>('SELECT data FROM file_attributes WHERE handle = ?')
  }

  newTicket(user: string, kind: Ticket['kind']): string {
    this.sweep()
    const token = newUrlToken()
    this.tickets.set(token, {user, kind, created: Date.now()})
    return token
  }

  /** POST <base>fa/put/<token>[/<anything>]: megajs appends /0 or /1, others nothing (mega-api.md §7.3). */
  async handlePut(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const ticket = this.tickets.get(token)
    if (!ticket || ticket.kind !== 'put') {
      req.resume()
      return sendText(res, String(ApiCode.EEXPIRED))
    }
    const data = await readBody(req, MAX_ATTRIBUTE_BYTES)
    if (data.length === 0 || data.length % 16 !== 0) return sendText(res, String(ApiCode.EARGS))
    let handle = newFileAttributeHandle()
    while (this.getStmt.get(handle.toString('base64url'))) handle = newFileAttributeHandle()
    this.insertStmt.run(handle.toString('base64url'), ticket.user, data, nowSeconds())
    sendText(res, handle)
  }

  async handleGet(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const ticket = this.tickets.get(token)
    if (!ticket || ticket.kind !== 'get') {
      req.resume()
      return sendText(res, String(ApiCode.EEXPIRED))
    }
    const body = await readBody(req, 8 * 10000)
    const parts: Buffer[] = []
    for (let i = 0; i + 8 <= body.length; i += 8) {
      const handle = body.subarray(i, i + 8)
      const row = this.getStmt.get(handle.toString('base64url'))
      if (!row) continue
      const length = Buffer.alloc(4)
      length.writeUInt32LE(row.data.length)
      parts.push(handle, length, row.data)
    }
    sendText(res, Buffer.concat(parts))
  }

  private sweep(): void {
    const cutoff = Date.now() - TICKET_TTL_MS
    for (const [token, ticket] of this.tickets) if (ticket.created < cutoff) this.tickets.delete(token)
  }
}

/**
 * Turns the client form "0*<h>/1*<h>" into the stored "<cluster>:0*<h>/<cluster>:1*<h>" (entries that already
 * carry a cluster are kept). megatools may send `fa:null`; anything unusable gives null.
 */
export function normaliseFaField(fa: unknown): string | null {
  if (typeof fa !== 'string' || fa === '') return null
  const entries = fa.split('/').map((e) => e.trim()).filter((e) => /^(\d+:)?\d+\*[A-Za-z0-9_-]+$/.test(e))
  if (entries.length === 0) return null
  return entries.map((e) => (e.includes(':') ? e : `${CLUSTER}:${e}`)).join('/')
}

/** Replaces the entries of the same types in `current` with those of `added`. */
function mergeFa(current: string | null, added: string): string {
  const byType = new Map<string, string>()
  for (const entry of [...(current ?? '').split('/'), ...added.split('/')].filter(Boolean)) {
    const type = /:(\d+)\*/.exec(entry)?.[1]
    if (type !== undefined) byType.set(type, entry)
  }
  return [...byType.values()].join('/')
}

export const fileAttributeCommands: CommandTable = {
  ufa: {auth: 'session', run: requestAttributeUrl},
  pfa: {auth: 'session', run: attachAttribute},
}

/** `ufa` → {p: url}; with `fah` the URL fetches attributes, otherwise it stores one (SDK CommandPutFA/GetFA). */
function requestAttributeUrl(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = requireSession(ctx).user
  const store = ctx.server.fileAttributes
  if (optString(cmd, 'fah')) return {p: `${ctx.baseUrl}fa/get/${store.newTicket(user, 'get')}`}
  const size = optNumber(cmd, 's')
  if (size !== undefined && (size < 0 || size > MAX_ATTRIBUTE_BYTES)) fail(ApiCode.EARGS, 'bad attribute size')
  return {p: `${ctx.baseUrl}fa/put/${store.newTicket(user, 'put')}`}
}

/** `pfa` {n, fa:"<type>*<h>"} → the node's whole new fa string; an `fa` packet follows (SDK CommandAttachFA). */
function attachAttribute(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const {nodes} = ctx.server
  const node = nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type !== NodeType.FILE) fail(ApiCode.EARGS, 'file attributes belong to files')
  const added = normaliseFaField(cmd.fa)
  if (!added) fail(ApiCode.EARGS, 'bad fa')
  const fa = mergeFa(node.fa, added)
  nodes.setFa(node.handle, fa)
  ctx.emit(owner, 'fa', {n: node.handle, fa})
  return fa
}
