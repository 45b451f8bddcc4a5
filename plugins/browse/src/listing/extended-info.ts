import {type MegaNode, nodeLink, NodeType, type NodeStore, publicLinkUrl, sizeToText} from '@mega-shell/core'

/**
 * The extra information `ls -a` (1), `ls -aa` (2) and `find -l` (3) append to a node's row, as MEGAcmd's dumpNode
 * writes it (megacmdexecuter.cpp): ` (<size>)` for a file, with `, shared as exported permanent|temporal file link`
 * when it has a link, followed from level 2 by `: <link>` and, for a temporal link, ` expires at|expired at <date>`;
 * ` (folder)` for a folder with the same link details; ` (root node)`, ` (inbox)`, ` (rubbish)` for the roots.
 *
 * What the cache does not hold is not shown: shares with other users ("shared with …, access …") and incoming
 * shares ("inbound … share"), and a link's expiry until the cache keeps it (tree/node-link.ts).
 */
export function extendedInfo(node: MegaNode, level: number, nodes: NodeStore, time: (unixSeconds: number) => string): string {
  switch (node.type) {
    case NodeType.FILE:
      return ` (${sizeToText(node.size, true, false)}${linkInfo(node, level, nodes, time, 'file')})`
    case NodeType.FOLDER:
      return ` (folder${linkInfo(node, level, nodes, time, 'folder')})`
    case NodeType.ROOT:
      return ' (root node)'
    case NodeType.INBOX:
      return ' (inbox)'
    default:
      return ' (rubbish)'
  }
}

function linkInfo(node: MegaNode, level: number, nodes: NodeStore, time: (unixSeconds: number) => string, kind: 'file' | 'folder'): string {
  const link = nodeLink(node)
  if (!link) return ''
  let text = `, shared as exported ${link.expiresAt ? 'temporal' : 'permanent'} ${kind} link`
  if (level < 2) return text
  text += `: ${publicLinkUrl(node, link.publicHandle, nodes.shareKey(node.handle))}`
  // dumpNode writes the expiry of file links only.
  if (kind === 'file' && link.expiresAt) text += `${link.expiresAt < Date.now() / 1000 ? ' expired at ' : ' expires at '}${time(link.expiresAt)}`
  return text
}
