import type {IncomingMessage} from 'node:http'
import {type Element, js2xml, xml2js} from 'xml-js'

/** The most an XML request body (PROPFIND, PROPPATCH, LOCK) may weigh: they are a few hundred bytes in practice. */
export const MAX_XML_BODY = 1024 * 1024

/** A request body read whole, refused past `MAX_XML_BODY` (413) so that no request can fill the server's memory. */
export async function readSmallBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_XML_BODY) return 'too-large'
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** An element of a parsed body with its name resolved against the namespaces in scope. */
export interface XmlNode {
  ns: string
  local: string
  element: Element
  /** The `xmlns` declarations in scope at this element (prefix → URI; '' is the default namespace). */
  scope: Record<string, string>
}

/** Parses a body into its root element; throws on malformed XML (the caller answers 400). */
export function parseXml(body: Buffer): XmlNode {
  const doc = xml2js(body.toString('utf8'), {compact: false}) as Element
  const root = doc.elements?.find((e) => e.type === 'element')
  if (!root) throw new Error('no root element')
  return resolve(root, {})
}

/** The element children of a node, resolved. */
export function childrenOf(node: XmlNode): XmlNode[] {
  return (node.element.elements ?? []).filter((e) => e.type === 'element').map((e) => resolve(e, node.scope))
}

function resolve(element: Element, parentScope: Record<string, string>): XmlNode {
  const scope = {...parentScope}
  for (const [name, value] of Object.entries(element.attributes ?? {})) {
    if (name === 'xmlns') scope[''] = String(value)
    else if (name.startsWith('xmlns:')) scope[name.slice(6)] = String(value)
  }
  const name = element.name ?? ''
  const colon = name.indexOf(':')
  const prefix = colon < 0 ? '' : name.slice(0, colon)
  return {ns: scope[prefix] ?? '', local: colon < 0 ? name : name.slice(colon + 1), element, scope}
}

/**
 * A property element as text to store and send back later: the element itself, with every namespace in scope declared
 * on it, so it reads the same out of its request.
 */
export function propertyXml(node: XmlNode): string {
  const attributes: Record<string, string> = {...(node.element.attributes as Record<string, string> | undefined)}
  for (const [prefix, uri] of Object.entries(node.scope)) attributes[prefix === '' ? 'xmlns' : `xmlns:${prefix}`] = uri
  return js2xml({elements: [{...node.element, attributes}]})
}

/** Escapes text for XML content. */
export function xmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}
