import {isLinkExpired, type MegaNode, NodeType} from '../tree/node.js'

/**
 * How MEGAcmd describes a node's public link inside the parentheses of `ls -a` (without the link), `ls -aa`,
 * `find -l` and `export`'s listing (with it): megacmdexecuter.cpp dumpNode. A file:
 *   `shared as exported permanent|temporal file link[: <link>[ expires at|expired at <date>][ AuthKey=<key>]]`
 * a folder (no expiry shown, even for a temporal link; a writable one shows the token that opens it for writing):
 *   `shared as exported permanent|temporal folder link[: <link>[ AuthToken=<ph>#<key>:<auth key>]]`
 * Undefined when the node is not exported. `url` is the link (export.ts exportedLinkUrl); `time` formats the expiry
 * (RFC2822 unless --time-format says otherwise).
 */
export function exportedLinkText(node: MegaNode, url: string | undefined, time: (unixSeconds: number) => string): string | undefined {
  const link = node.link
  if (!link) return undefined
  const kind = `shared as exported ${link.expires ? 'temporal' : 'permanent'} ${node.type === NodeType.FILE ? 'file' : 'folder'} link`
  if (url === undefined) return kind
  let text = `${kind}: ${url}`
  if (node.type === NodeType.FILE) {
    if (link.expires) text += ` ${isLinkExpired(link) ? 'expired' : 'expires'} at ${time(link.expires)}`
    if (link.authKey) text += ` AuthKey=${link.authKey}`
  } else {
    const token = writableLinkToken(url, link.authKey)
    if (token) text += ` AuthToken=${token}`
  }
  return text
}

/**
 * The token that opens a writable folder link for writing, `<ph>#<key>:<auth key>`: the link after
 * `https://mega.nz/folder/`, then the auth key (MEGAcmd's "AuthToken", megacmdexecuter.cpp exportNode and dumpNode).
 */
export function writableLinkToken(url: string, authKey: string | null): string | undefined {
  const prefix = 'https://mega.nz/folder/'
  return authKey && url.startsWith(prefix) ? `${url.slice(prefix.length)}:${authKey}` : undefined
}
