import {extname} from 'node:path'
import {drained, type MegaNode, NodeType, RemoteReader} from '@mega-shell/core'
import {answer, type DavTarget, hrefOf, httpDate} from './dav-target.js'

const TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.xml': 'application/xml', '.pdf': 'application/pdf', '.zip': 'application/zip', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4', '.mkv': 'video/x-matroska',
  '.webm': 'video/webm', '.mov': 'video/quicktime',
}

/** A file's Content-Type, by its extension (players need it to stream video). */
export function contentType(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * GET and HEAD: a file with its ETag (the node's handle: a new version is a new node), Last-Modified and byte ranges
 * (RFC 9110 §14): only the requested bytes are fetched from storage (RemoteReader), and a range past the end answers
 * 416 with the size. One range per request; a multi-range request gets the whole file (200), which RFC 9110 allows.
 * A folder answers a small HTML index, so that a browser can walk the location.
 */
export async function handleGet({req, res, fs, path, mount}: DavTarget): Promise<void> {
  const node = fs.nodeAt(path)
  if (!node) return answer(res, 404)
  const head = req.method === 'HEAD'
  if (node.type !== NodeType.FILE) return folderIndex({req, res, fs, path, mount}, node, head)
  const etag = `"${node.handle}"`
  const common = {ETag: etag, 'Last-Modified': httpDate(node.mtime ?? node.ts), 'Accept-Ranges': 'bytes', 'Content-Type': contentType(node.name)}
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return answer(res, 304, {ETag: etag})
  const range = parseRange(req.headers.range, node.size)
  if (range === 'unsatisfiable') return answer(res, 416, {'Content-Range': `bytes */${node.size}`})
  const [start, end] = range ?? [0, node.size - 1]
  res.writeHead(range ? 206 : 200, {...common, 'Content-Length': end - start + 1, ...(range ? {'Content-Range': `bytes ${start}-${end}/${node.size}`} : {})})
  if (head || end < start) return void res.end()
  const ctx = fs.tree.context()
  if (!ctx) return void res.destroy()
  // A client that goes away stops the reads from storage.
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  try {
    for await (const data of new RemoteReader(ctx, node).read(start, end, abort.signal)) {
      if (!res.write(data)) await drained(res)
      if (abort.signal.aborted) return
    }
  } catch (error) {
    // A client that went away (a player seeking elsewhere) is no failure.
    if (abort.signal.aborted) return
    throw error
  }
  res.end()
}

/**
 * One `bytes=` range of RFC 9110 §14.1.2 (`a-b`, `a-`, `-n`) within `size`: undefined for no range (or one this server
 * answers with the whole file), 'unsatisfiable' for one that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size) return 'unsatisfiable'
  if (end < start) return undefined
  return [start, end]
}

function folderIndex({res, fs, path, mount}: DavTarget, folder: MegaNode, head: boolean): void {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  const rows = fs.tree.children(folder).map((child) => {
    const href = hrefOf(mount, [...path.paths, child.name], child.type !== NodeType.FILE)
    return `<li><a href="${escape(href)}">${escape(child.name)}${child.type === NodeType.FILE ? '' : '/'}</a></li>`
  })
  const body = Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(folder.name)}</title></head><body><h1>${escape(folder.name)}</h1><ul>${rows.join('')}</ul></body></html>\n`)
  res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length})
  res.end(head ? undefined : body)
}
