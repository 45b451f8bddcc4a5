import type {IncomingMessage, ServerResponse} from 'node:http'
import {ApiCode} from '../protocol/api-error.js'
import {newUrlToken} from '../protocol/handles.js'
import type {FileAttributeStore} from '../stores/file-attribute-store.js'
import {readBody, sendText} from './http-util.js'

/** Thumbnails are ~10 KB and previews ~100 KB; anything far larger is not a file attribute. */
export const MAX_ATTRIBUTE_BYTES = 16 * 1024 * 1024
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
 * receive handle ‖ uint32 LE length ‖ data for each. The URL tickets live in memory for an hour.
 */
export class FileAttributeServer {
  private readonly tickets = new Map<string, Ticket>()

  constructor(private readonly store: FileAttributeStore) {}

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
    sendText(res, this.store.add(ticket.user, data))
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
      const data = this.store.get(handle)
      if (!data) continue
      const length = Buffer.alloc(4)
      length.writeUInt32LE(data.length)
      parts.push(handle, length, data)
    }
    sendText(res, Buffer.concat(parts))
  }

  private sweep(): void {
    const cutoff = Date.now() - TICKET_TTL_MS
    for (const [token, ticket] of this.tickets) if (ticket.created < cutoff) this.tickets.delete(token)
  }
}
