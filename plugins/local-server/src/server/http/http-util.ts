import type {IncomingMessage, ServerResponse} from 'node:http'
import {drained} from '@mega-shell/core'
import type {StreamedJson} from '../protocol/streamed-json.js'

/** Thrown by readBody when a body is larger than allowed; answered with HTTP 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError'
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.destroy()
        reject(new BodyTooLargeError(`body over ${limit} bytes`))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)))
    req.on('error', reject)
  })
}

/**
 * Browser clients (megajs runs in browsers too) call the API cross-origin; the real service allows any
 * origin, so every reply says so.
 */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type, X-Hashcash, User-Agent',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Expose-Headers': 'X-Hashcash, X-MEGA-Time-Left',
}

export function sendText(res: ServerResponse, body: string | Buffer, status = 200, contentType = 'text/plain'): void {
  if (res.headersSent || res.destroyed) return
  const data = typeof body === 'string' ? Buffer.from(body) : body
  res.writeHead(status, {...CORS_HEADERS, 'Content-Type': contentType, 'Content-Length': data.length})
  res.end(data)
}

export function sendJson(res: ServerResponse, body: string): void {
  sendText(res, body, 200, 'application/json')
}

/**
 * Writes streamed JSON (chunked, no Content-Length) at the pace the client reads it: the next piece is made only
 * once the socket took the previous ones, so a slow client never makes the server hold the whole reply.
 */
export async function sendStreamedJson(res: ServerResponse, body: StreamedJson): Promise<void> {
  try {
    res.writeHead(200, {...CORS_HEADERS, 'Content-Type': 'application/json'})
    for (const piece of body.pieces()) {
      if (res.destroyed) return
      if (!res.write(piece)) await drained(res)
    }
    res.end()
  } finally {
    body.release()
  }
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? ''
}
