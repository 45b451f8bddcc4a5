import {exportedLinkText, formatTime, type MegaNode, NodeType, sizeToText, writableLinkToken} from '@mega-shell/core'

/** What `export -a` made of one node, as printed and as --json gives it. */
export interface ExportedLink {
  path: string
  type: 'file' | 'folder'
  /** The link to hand out: the password-protected one (`#P!`) when it is protected. */
  link: string
  /** Expiry (unix seconds). */
  expires?: number
  /** `<ph>#<key>:<auth key>`, for a writable folder link. */
  authToken?: string
}

/**
 * The lines `export -a` prints for a new link:
 *   Exported <path> : <link>[\n          AuthToken = <token>][ expires at <RFC2822 date>]
 * MEGAcmd 2.5.2 prints "Exported <path>: <link>" (megacmdexecuter.cpp exportNode), where the link is the third
 * field; MEGAcmd's own user guide takes the fourth (`mega-export -a … | awk '{print $4}'`), written for its
 * first releases, which put a space before the colon: `OUTSTREAM << "Exported " << nodepath << " : " <<
 * nexported->getPublicLink()` (meganz/MEGAcmd, early megacmdexecuter.cpp MegaCmdExecuter::exportNode). We keep
 * that form, so the guide's scripts get the link.
 */
export function exportedLines({path, link, expires, authToken}: ExportedLink): string {
  let text = `Exported ${path} : ${link}`
  if (authToken) text += `\n          AuthToken = ${authToken}`
  if (expires) text += ` expires at ${formatTime(expires, 'RFC2822')}`
  return text
}

/** The token of a writable folder link (AuthToken), from the plain link and the auth key. */
export function authTokenOf(url: string, node: MegaNode): string | undefined {
  return writableLinkToken(url, node.link?.authKey ?? null) ?? undefined
}

/**
 * One row of export's listing, MEGAcmd's dumpNode with its extended info at 2 (as `ls -aa`):
 * `<path> (<size>|folder, shared as exported … link: <link> …)`. Sizes are MEGAcmd's sizeToText ("6.00 B").
 */
export function listedLine(path: string, node: MegaNode, url: string | undefined): string {
  const what = node.type === NodeType.FILE ? sizeToText(node.size, true, false) : 'folder'
  const link = exportedLinkText(node, url, (seconds) => formatTime(seconds, 'RFC2822'))
  return `${path} (${what}${link ? `, ${link}` : ''})`
}
