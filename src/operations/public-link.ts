import {b64decode} from '../crypto/base64.js'
import {CommandError, ExitCode} from '../errors.js'

const invalid = (message: string) => new CommandError(message, ExitCode.INVALIDTYPE)

/** A parsed public link (mega-api.md §5.4). */
export interface PublicLink {
  type: 'file' | 'folder'
  /** Public handle (8 chars). */
  handle: string
  /** 32-byte file key or 16-byte folder (share) key. */
  key: Buffer
  /** For links to a node inside a folder link. */
  node?: {type: 'file' | 'folder'; handle: string}
}

/**
 * Accepts the new forms `https://mega.nz/file/<ph>#<key>`, `…/folder/<ph>#<key>[/file|/folder/<h>]` and the
 * old `#!ph!key`, `#F!ph!key[!h]`, on mega.nz or mega.co.nz (megajs File.fromURL, megatools dl.c).
 */
export function parsePublicLink(text: string): PublicLink {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid(`Invalid link: ${text}`)
  }
  if (!/^(www\.)?mega\.(nz|co\.nz)$/.test(url.hostname)) throw invalid(`Invalid link: ${text}`)
  let type: 'file' | 'folder'
  let handle: string
  let keyText: string
  let node: PublicLink['node']
  const modern = url.pathname.match(/^\/(file|folder)\/([\w-]{8})$/)
  if (modern) {
    type = modern[1] as 'file' | 'folder'
    handle = modern[2]
    const [key, subType, subHandle] = url.hash.slice(1).split('/')
    keyText = key
    if (subType && subHandle) node = {type: subType as 'file' | 'folder', handle: subHandle}
  } else {
    const legacy = url.hash.match(/^#(F?)!([\w-]{8})!([\w-]+)(?:[!?]([\w-]{8}))?$/)
    if (!legacy) throw invalid(`Invalid link: ${text}`)
    type = legacy[1] ? 'folder' : 'file'
    handle = legacy[2]
    keyText = legacy[3]
    if (legacy[4]) node = {type: 'file', handle: legacy[4]}
  }
  const key = b64decode(keyText ?? '')
  if ((type === 'file' && key.length !== 32) || (type === 'folder' && key.length !== 16)) throw invalid(`Invalid link: the key in ${text} is malformed`)
  return {type, handle, key, node}
}

export function looksLikeLink(text: string): boolean {
  return /^https?:\/\//i.test(text)
}
