import {type MegaNode, NodeType} from '@mega-shell/core'
import {contentType} from './get.js'
import {answer, type DavTarget, hrefOf, httpDate} from './dav-target.js'
import {readSmallBody, xmlText} from './xml-body.js'

/**
 * PROPFIND at depth 0 or 1 (RFC 4918 §9.1), from the cache: the live properties of each node and the dead ones
 * PROPPATCH stored. Depth infinity (or no Depth, which means infinity) is refused with 403 and the
 * `propfind-finite-depth` precondition, as RFC 4918 §9.1 allows: a client walks the tree one level at a time instead
 * of making the server list a whole account. Every href has each of its names percent-encoded, so a name such as
 * `a #1?.txt` reaches the client whole. Whatever properties were asked for, all are answered (allprop); clients read
 * those they want.
 */
export async function handlePropfind({req, res, fs, path, mount}: DavTarget): Promise<void> {
  const depth = String(req.headers.depth ?? 'infinity').trim().toLowerCase()
  const body = await readSmallBody(req)
  if (body === 'too-large') return answer(res, 413)
  if (depth !== '0' && depth !== '1') {
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:"><D:propfind-finite-depth/></D:error>\n'
    res.writeHead(403, {'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml)})
    return void res.end(xml)
  }
  const node = fs.nodeAt(path)
  if (!node) return answer(res, 404)
  const parts = [response(fs, mount, path.paths, node)]
  if (depth === '1' && node.type !== NodeType.FILE) for (const child of fs.tree.children(node)) parts.push(response(fs, mount, [...path.paths, child.name], child))
  const xml = Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">${parts.join('')}</D:multistatus>\n`)
  res.writeHead(207, {'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': xml.length})
  res.end(xml)
}

function response(fs: DavTarget['fs'], mount: string, names: readonly string[], node: MegaNode): string {
  const folder = node.type !== NodeType.FILE
  const modified = node.mtime ?? node.ts
  const live = [
    `<D:displayname>${xmlText(node.name)}</D:displayname>`,
    `<D:creationdate>${new Date(node.ts * 1000).toISOString()}</D:creationdate>`,
    `<D:getlastmodified>${httpDate(modified)}</D:getlastmodified>`,
    `<D:getetag>"${node.handle}"</D:getetag>`,
    folder ? '<D:resourcetype><D:collection/></D:resourcetype>' : '<D:resourcetype/>',
    ...(folder ? [] : [`<D:getcontentlength>${node.size}</D:getcontentlength>`, `<D:getcontenttype>${xmlText(contentType(node.name))}</D:getcontenttype>`]),
    '<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>'
    + '<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry></D:supportedlock>',
  ]
  const dead = Object.values(fs.deadProperties(names)).map(({value}) => String(value))
  return `<D:response><D:href>${xmlText(hrefOf(mount, names, folder))}</D:href><D:propstat><D:prop>${live.join('')}${dead.join('')}</D:prop>`
    + '<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>'
}
