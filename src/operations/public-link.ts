import {b64decode, b64encode} from '../crypto/base64.js'
import {MalformedProtectedLinkError, openProtectedLinkContent, protectLinkContent, WrongLinkPasswordError} from '../crypto/link-password.js'
import {CommandError, ExitCode, UsageError} from '../errors.js'

const invalid = (message: string) => new CommandError(message, ExitCode.INVALIDTYPE)

/** Where links point: MEGA's site (SDK MegaClient::getMegaURL; the local server's `nlfe` flag asks for the new form). */
const MEGA_URL = 'https://mega.nz'

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

/**
 * What MEGAcmd takes for a link rather than a path: it starts with "http" and has a '#', `/file/` or `/folder/`
 * (megacmdcommonutils.cpp isPublicLink).
 */
export function looksLikeLink(text: string): boolean {
  return /^https?:\/\//i.test(text)
}

/** A password-protected link, `…/#P!<payload>` (MEGAcmd isEncryptedLink: the part after the first '#' starts "P!"). */
export function isProtectedLink(text: string): boolean {
  const hash = text.indexOf('#')
  return looksLikeLink(text) && hash >= 0 && text.startsWith('#P!', hash)
}

/** The link in the form MEGAcmd prints: `https://mega.nz/file/<ph>#<key>`, `…/folder/<ph>#<key>` (SDK publicLinkURL). */
export function publicLinkUrl(link: Pick<PublicLink, 'type' | 'handle' | 'key'>): string {
  return `${MEGA_URL}/${link.type}/${link.handle}#${b64encode(link.key)}`
}

/** The password-protected form of a link, `https://mega.nz/#P!<payload>` (crypto/link-password.ts). */
export function protectPublicLink(link: Pick<PublicLink, 'type' | 'handle' | 'key'>, password: string): string {
  return `${MEGA_URL}/#P!${b64encode(protectLinkContent({type: link.type, handle: b64decode(link.handle), key: link.key}, password))}`
}

/**
 * Opens a protected link with its password. A password that does not open it is MEGAcmd's "Invalid password" (56,
 * MegaCmdExecuter::decryptLinkIfEncrypted); a payload that cannot be a link is an invalid link (55).
 */
export function unprotectPublicLink(text: string, password: string): PublicLink {
  const payload = b64decode(text.slice(text.indexOf('#P!') + 3))
  try {
    const {type, handle, key} = openProtectedLinkContent(payload, password)
    return {type, handle: b64encode(handle), key}
  } catch (error) {
    if (error instanceof WrongLinkPasswordError) throw new CommandError('Invalid password', ExitCode.NOTPERMITTED)
    if (error instanceof MalformedProtectedLinkError) throw invalid(`Invalid link: ${text} (${error.message})`)
    throw error
  }
}

/**
 * The link a command was given, opened: a protected one needs its password (MEGAcmd's `--password`; a command may
 * ask for it on a terminal first), and without one it is MEGAcmd's usage error (51).
 */
export function openPublicLink(text: string, password: string | undefined): PublicLink {
  if (!isProtectedLink(text)) return parsePublicLink(text)
  if (!password) throw new UsageError('Need a password to decrypt provided link (--password=PASSWORD)')
  return unprotectPublicLink(text, password)
}
