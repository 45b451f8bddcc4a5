import {b64encode} from '../crypto/base64.js'
import {type MegaNode, NodeType} from './node.js'

/** Where MEGA's links point (SDK MegaClient::getMegaURL). */
const MEGA_URL = 'https://mega.nz'

/** A node's public link as the cache knows it. */
export interface NodeLink {
  /** The link's public handle. */
  publicHandle: string
  /** When a temporal link expires (unix seconds); null for a permanent link or when the cache does not know. */
  expiresAt: number | null
}

/** The public link of an exported node, or undefined. */
export function nodeLink(node: MegaNode): NodeLink | undefined {
  return node.link ? {publicHandle: node.link, expiresAt: null} : undefined
}

/**
 * The URL of an exported node with its key, as the SDK writes it in the new link format (MegaClient::publicLinkURL,
 * MegaNodePrivate::getPublicLink): `https://mega.nz/file/<ph>#<file key>` or `…/folder/<ph>#<share key>`; a
 * folder whose share key the cache does not hold gets no key, as the SDK's does without one.
 */
export function publicLinkUrl(node: MegaNode, publicHandle: string, shareKey: Uint8Array | undefined): string {
  const file = node.type === NodeType.FILE
  const key = file ? node.key : shareKey
  return `${MEGA_URL}/${file ? 'file' : 'folder'}/${publicHandle}#${key ? b64encode(key) : ''}`
}
