import {NodeType} from '@mega-shell/core'
import {uploadBody} from '../fs/spooled-upload.js'
import {answer, type DavTarget} from './dav-target.js'

/**
 * PUT: the body (chunked or not) is streamed to a temporary file, never held in memory, then uploaded as a real MEGA
 * file; the answer (201 new, 204 replaced) comes once the upload is complete, so a client that sees success can read
 * the file back at once. A file replaced becomes the new one's version, as the SDK's uploads do. A path under a lock
 * the request does not hold answers 423.
 */
export async function handlePut({req, res, fs, path}: DavTarget): Promise<void> {
  const ctx = fs.tree.context()
  const existing = fs.nodeAt(path)
  const parent = path.paths.length > 1 ? fs.nodeAt(path.getParent()) : undefined
  if (!ctx || existing === null || !parent) return answer(res, 409)
  if (existing && existing.type !== NodeType.FILE) return answer(res, 405, {Allow: 'OPTIONS, GET, HEAD, PROPFIND, PROPPATCH, DELETE, MOVE, COPY, LOCK, UNLOCK, MKCOL'})
  if (parent.type === NodeType.FILE) return answer(res, 409)
  if (fs.lockedAgainst(path, String(req.headers.if ?? ''))) return answer(res, 423)
  await uploadBody(ctx, fs.spoolDir, req, parent, path.fileName())
  answer(res, existing ? 204 : 201)
}
