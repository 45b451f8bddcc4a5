import {NodeType} from '@mega-shell/core'
import {answer, type DavTarget, hrefOf} from './dav-target.js'
import {childrenOf, parseXml, propertyXml, readSmallBody, xmlText} from './xml-body.js'

/**
 * PROPPATCH (RFC 4918 §9.2): the `set` and `remove` blocks in document order, all or nothing. Dead properties are kept
 * by the location's file system; live ones (DAV: names) cannot be changed (403, and the others 424). One response is
 * written, whatever the number of blocks: webdav-server 2.6 wrote its answer once per block, and the second write
 * threw ERR_HTTP_HEADERS_SENT out of the request, which would have ended the whole background server.
 */
export async function handleProppatch({req, res, fs, path, mount}: DavTarget): Promise<void> {
  const node = fs.nodeAt(path)
  if (!node) return answer(res, 404)
  const body = await readSmallBody(req)
  if (body === 'too-large') return answer(res, 413)
  let updates: Array<{set: boolean; key: string; xml: string; name: string}>
  try {
    const root = parseXml(body)
    if (root.ns !== 'DAV:' || root.local !== 'propertyupdate') return answer(res, 400)
    updates = childrenOf(root).filter((block) => block.ns === 'DAV:' && (block.local === 'set' || block.local === 'remove')).flatMap((block) =>
      childrenOf(block).filter((p) => p.ns === 'DAV:' && p.local === 'prop').flatMap((prop) => childrenOf(prop).map((property) => ({
        set: block.local === 'set', key: `{${property.ns}}${property.local}`, xml: propertyXml(property),
        name: `<x:${property.local} xmlns:x="${xmlText(property.ns)}"/>`,
      }))))
  } catch {
    return answer(res, 400)
  }
  const bag = fs.deadProperties(path.paths, true)
  const refused = updates.filter((u) => u.key.startsWith('{DAV:}'))
  const status = (code: string, list: typeof updates) => list.length === 0 ? ''
    : `<D:propstat><D:prop>${list.map((u) => u.name).join('')}</D:prop><D:status>HTTP/1.1 ${code}</D:status></D:propstat>`
  let propstats: string
  if (refused.length > 0) {
    propstats = status('403 Forbidden', refused) + status('424 Failed Dependency', updates.filter((u) => !refused.includes(u)))
  } else {
    for (const update of updates) {
      if (update.set) bag[update.key] = {value: update.xml}
      else delete bag[update.key]
    }
    propstats = status('200 OK', updates)
  }
  const xml = Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:"><D:response><D:href>${xmlText(hrefOf(mount, path.paths, node.type !== NodeType.FILE))}</D:href>${propstats}</D:response></D:multistatus>\n`)
  res.writeHead(207, {'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': xml.length})
  res.end(xml)
}
